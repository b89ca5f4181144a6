import { expect } from 'vitest';
import type { Harness } from './harness';

/**
 * Settings are global to a database, and most files share one: a file that shortens windows sets them
 * here and puts the previous values back when it ends, so the next file starts from the defaults.
 */
export async function overrideSettings(h: Harness, values: Record<string, unknown>): Promise<() => Promise<void>> {
  const put = async (body: Record<string, unknown>) => {
    const res = await h.app.inject({ method: 'PUT', url: '/api/v1/settings', headers: h.users.admin.auth, payload: body });
    expect(res.statusCode, res.body).toBe(200);
  };
  const current = (await h.app.inject({ method: 'GET', url: '/api/v1/settings', headers: h.users.admin.auth })).json();
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, current[key]]));
  await put(values);
  return () => put(previous);
}
