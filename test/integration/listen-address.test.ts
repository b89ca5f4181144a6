import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback } from '../../config';
import { startHarness, type Harness } from '../helpers/harness';

// Safe defaults (issue 20): with no HOST the API listens on loopback only, as `npm start` does, so a
// machine on a shared network serves nobody else.
let h: Harness;
let port: number;
beforeAll(async () => {
  h = await startHarness();
  await h.app.listen({ host: h.config.api.host, port: 0 });
  port = (h.app.server.address() as { port: number }).port;
});
afterAll(async () => { await h?.close(); });

const get = (host: string) => new Promise<number | string>((resolve) => {
  const req = request({ host, port, path: '/health', timeout: 2000 }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
  req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  req.end();
});

/** An address of this machine that other machines could reach, if it has one. */
const reachable = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !isLoopback(i.address))?.address;

describe('the listen address', () => {
  it('is loopback when HOST is not set', async () => {
    expect(h.config.api.host).toBe('127.0.0.1');
    expect(await get('127.0.0.1')).toBe(200);
  });

  it.runIf(reachable)('refuses connections on the machine\'s other addresses', async () => {
    expect(await get(reachable!)).toBe('ECONNREFUSED');
  });
});
