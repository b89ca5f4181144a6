import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newestFirst } from '../../api/lists';
import { tickets } from '../../db/schema';
import { matches, typedQuery } from '../../db/search';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// Full-text ticket search (GET /tickets?q=) is tried on the list's newest rows first and only then through the
// GIN index (api/lists.ts, newestFirst). With a window of 5 rows here, a word only the oldest tickets carry is found
// by the second step alone, and a word every ticket carries by the first; both answer exactly the API's order.
let h: Harness;
let t: ReturnType<typeof ticketDriver>;
beforeAll(async () => {
  h = await startHarness({ worker: true, queues: ['tickets', 'notifications'] });
  t = ticketDriver(h);
});
afterAll(async () => { await h?.close(); });

describe('ticket search on the newest rows, then through the index', () => {
  it('finds a word only old tickets carry, pages a word all carry newest first, and the API answers the same', async () => {
    const rare = `quasar${uniq().replace(/\W/g, '')}`;
    const common = `nebula${uniq().replace(/\W/g, '')}`;
    const customer = await t.customer();
    const opened: string[] = [];
    for (let i = 0; i < 12; i++) {
      const ticket = await t.open({ customerId: customer.id, subject: `Line ${i} ${common}`, description: i < 2 ? `The ${rare} hums` : 'No dial tone' });
      opened.push(ticket.id);
    }
    await eventually(() => h.database.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.customerId, customer.id)), (rows) => rows.length === 12);
    const newest = [...opened].reverse();
    const search = (q: string, cursor?: string, limit = 3) =>
      newestFirst(h.database.db, tickets, { limit, cursor }, [[tickets.customerId, customer.id]], (row) => row.id, undefined, (row) => matches(row.search!, typedQuery(q)), 5);

    expect(await search(rare)).toEqual({ items: [opened[1], opened[0]], nextCursor: null });
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await search(common, cursor);
      pages.push(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([newest.slice(0, 3), newest.slice(3, 6), newest.slice(6, 9), newest.slice(9, 12)]);

    const api = await t.call('agent', 'GET', `/tickets?q=${rare}&customerId=${customer.id}`);
    expect(api.items.map((row: { id: string }) => row.id)).toEqual([opened[1], opened[0]]);
  });
});
