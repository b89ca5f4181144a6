import http from 'node:http';
import type { TaskQueueName } from '../../config';
import type { Harness } from '../../test/helpers/harness';
import type { BenchEnvironment } from './environment';
import { benchHarness } from './harness';
import type { Caller } from './lifecycles';

export interface ApiClient {
  /** One request as `role`; a status outside 2xx is an error carrying the problem text. */
  call: Caller;
}

export interface BenchApp {
  h: Harness;
  api: ApiClient;
  close(): Promise<void>;
}

/**
 * The real app listening on a local port with its worker in this process (polling only `queues`, since
 * each worker takes seconds to start), called over HTTP/1.1 with keep-alive, so every figure pays for
 * HTTP, JSON, authentication and validation like a real client.
 */
export async function startBenchApp(environment: BenchEnvironment, queues: readonly TaskQueueName[]): Promise<BenchApp> {
  const h = await benchHarness(environment, { worker: true, queues });
  const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  return {
    h,
    api: apiClient(new URL(address), h.users, agent),
    async close() {
      agent.destroy();
      await h.close();
    },
  };
}

// node:http rather than fetch: the client shares this process with the server, and fetch's own cost
// would be booked as the API's.
export function apiClient(base: URL, users: Harness['users'], agent: http.Agent): ApiClient {
  return {
    call(role, method, path, body) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers = { ...users[role].auth, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) };
      return new Promise((resolve, reject) => {
        const request = http.request({ host: base.hostname, port: base.port, path: `/api/v1${path}`, method, headers, agent }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode! >= 200 && response.statusCode! < 300) resolve(text ? JSON.parse(text) : undefined);
            else reject(new Error(`${method} ${path} as ${role}: ${response.statusCode} ${text.slice(0, 500)}`));
          });
        });
        request.on('error', reject);
        request.end(payload);
      });
    },
  };
}
