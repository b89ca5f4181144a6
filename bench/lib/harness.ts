import { freshDatabase } from '../../test/helpers/fresh-database';
import { startHarness, type Harness } from '../../test/helpers/harness';
import type { BenchEnvironment } from './environment';
import type { Caller } from './lifecycles';

export interface BenchHarness extends Harness {
  databaseUrl: string;
}

/**
 * The real app (and, with `worker`, an in-process worker on its own task queues) against the run's
 * servers. `ownDatabase` gives it a fresh migrated database, dropped on close, for figures that load
 * or count a whole database and must not see the other figures' rows.
 */
export async function benchHarness(env: BenchEnvironment, options: Omit<Parameters<typeof startHarness>[0] & object, 'environment'> & { ownDatabase?: boolean } = {}): Promise<BenchHarness> {
  const own = options.ownDatabase ? await freshDatabase(env.databaseUrl) : null;
  const databaseUrl = own?.url ?? env.databaseUrl;
  // The rate limiter stays on (its cost is part of the API) with a limit no benchmark reaches: the
  // default 1 200 a minute per key would cap the load long before the app does.
  const h = await startHarness({ ...options, env: { CRM_RATE_LIMIT_PER_MINUTE: String(1e9), ...options.env }, environment: { ...env, databaseUrl } });
  return {
    ...h,
    databaseUrl,
    async close() {
      await h.close();
      await own?.drop();
    },
  };
}

export interface CapturingHarness extends BenchHarness {
  /** Every statement the app sent since the last reset: the query text, then its parameters. */
  captured: string[][];
}

/** The app on a database of its own that keeps the statements it sends, so a figure can explain a route's. */
export async function capturingHarness(env: BenchEnvironment): Promise<CapturingHarness> {
  const captured: string[][] = [];
  const h = await benchHarness(env, { ownDatabase: true, onQuery: (query, parameters) => captured.push([query, ...parameters.map(String)]) });
  return { ...h, captured };
}

/** Calls the API in process (Fastify's whole request pipeline, no socket) and fails loudly on an error status. */
export function apiCaller(h: Harness): Caller {
  return async (role, method, url, payload) => {
    const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: h.users[role].auth, payload });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} as ${role}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
}
