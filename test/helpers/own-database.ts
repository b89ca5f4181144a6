import { afterAll, beforeAll } from 'vitest';
import { freshDatabase, type FreshDatabase } from './fresh-database';
import { startHarness, uniq, type Harness } from './harness';

/**
 * A file's stack with the ticket workers on a database of its own, listening for a browser: for files whose
 * outcomes cover every row (article search and suggestions, the article report), which other files running
 * alongside would disturb. Read `h` and `base` inside tests: they are set in the file's beforeAll.
 */
export function stackOnOwnDatabase(): { readonly h: Harness; readonly base: string } {
  let fresh: FreshDatabase | undefined;
  let h: Harness | undefined;
  let base: string | undefined;
  beforeAll(async () => {
    fresh = await freshDatabase();
    h = await startHarness({ worker: true, queues: ['tickets'], env: { DATABASE_URL: fresh.url } });
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await h?.close();
    await fresh?.drop();
  });
  return { get h() { return h!; }, get base() { return base!; } };
}

/** A made-up word (letters only, as the full-text search splits words), so only one test's articles contain it. */
export const madeUpWord = () => `zq${[...uniq()].map((c) => (/\d/.test(c) ? String.fromCharCode(103 + Number(c)) : c)).join('')}qx`;
