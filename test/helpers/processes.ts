import type { Harness } from './harness';
import { contractDriver } from './contracts';
import { orderDriver } from './orders';
import { ticketDriver } from './tickets';
import { eventually } from './wait';

/**
 * The fault harness: process kinds that can be started in bulk, driven to their end by the people
 * involved, and audited in the database afterwards: tickets, orders, and call-off orders drawing down a contract.
 * A new kind is one more entry in PROCESS_KINDS: how to prepare, open one, drive it, and what must
 * hold in the database at the end.
 */
export interface ProcessKind {
  name: string;
  /** Master data shared by the processes of one run (customers, products). */
  prepare(h: Harness, count: number): Promise<Shared>;
  open(h: Harness, shared: Shared): Promise<string>;
  /** The human steps to the end; waits at the gate before each, so a test can hold people off during an outage. */
  drive(h: Harness, id: string, gate: Gate): Promise<void>;
  /** Everything that must hold once all are done; each problem is one lost or duplicated fact. */
  audit(h: Harness, ids: string[], shared: Shared): Promise<Audit>;
}

type Shared = Record<string, string | number>;

export interface Audit {
  completed: number;
  lost: string[];
  duplicated: string[];
}

/** Lets people act, or makes them wait (while the database is down, say). */
export class Gate {
  private opened: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;
  private inFlight = new Set<Promise<unknown>>();

  /** Runs one human step once the gate is open; a closing gate waits for the steps already under way. */
  async step<T>(work: () => Promise<T>): Promise<T> {
    await this.opened;
    const running = work();
    this.inFlight.add(running);
    try {
      return await running;
    } finally {
      this.inFlight.delete(running);
    }
  }

  /** Holds new steps back and resolves once the running ones are done. */
  async close(): Promise<void> {
    if (!this.release) this.opened = new Promise((resolve) => { this.release = resolve; });
    await Promise.allSettled([...this.inFlight]);
  }

  open(): void {
    this.release?.();
    this.release = null;
  }
}

/** How many of `ids` reached `status`, waiting up to a minute for the stragglers. */
async function finished(h: Harness, table: 'tickets' | 'orders', ids: string[], status: string): Promise<number> {
  const count = async () => (await h.database.sql.unsafe<Array<{ n: number }>>(`select count(*)::int as n from ${table} where id = any($1) and status = $2`, [ids, status]))[0]!.n;
  await eventually(count, (n) => n === ids.length, { timeoutMs: 60_000 }).catch(() => undefined);
  return count();
}

/** Timelines: each process's events are numbered 0…n-1 without gaps, and each step happened once. */
async function auditTimelines(h: Harness, table: 'ticket_events' | 'order_events', column: 'ticket_id' | 'order_id', ids: string[], expected: string[]) {
  const rows = await h.database.sql.unsafe<Array<{ id: string; seqs: number[]; actions: string[] }>>(
    `select ${column} as id, array_agg(seq order by seq) as seqs, array_agg(action order by seq) as actions from ${table} where ${column} = any($1) group by ${column}`, [ids]);
  const lost: string[] = [];
  const duplicated: string[] = [];
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    const actions = row?.actions ?? [];
    if (row && row.seqs.some((seq, i) => seq !== i)) lost.push(`${id}: event numbers ${row.seqs.join(',')}`);
    for (const action of expected) {
      const times = actions.filter((a) => a === action).length;
      if (times === 0) lost.push(`${id}: no ${action} event`);
      if (times > 1) duplicated.push(`${id}: ${times} ${action} events`);
    }
  }
  return { lost, duplicated };
}

const ticketKind: ProcessKind = {
  name: 'ticket',
  async prepare(h) {
    return { customerId: (await ticketDriver(h).customer()).id };
  },
  async open(h, shared) {
    return (await ticketDriver(h).open({ customerId: shared.customerId })).id;
  },
  async drive(h, id, gate) {
    const t = ticketDriver(h);
    for (const [role, action, body] of [
      ['agent', 'escalate', { opinion: 'check the line card' }], ['support_l2', 'claim', {}], ['support_l2', 'resolve', { resolution: 'replaced the card' }],
      ['agent', 'confirm', { satisfaction: 5 }],
    ] as const) {
      await gate.step(() => t.act(role, id, action, body));
    }
  },
  async audit(h, ids) {
    const done = await finished(h, 'tickets', ids, 'closed');
    const timelines = await auditTimelines(h, 'ticket_events', 'ticket_id', ids, ['open', 'escalate', 'claim', 'resolve', 'confirm']);
    return { completed: done, lost: [...(done < ids.length ? [`${ids.length - done} tickets not closed`] : []), ...timelines.lost], duplicated: timelines.duplicated };
  },
};

/**
 * Orders on credit terms: the invoice is issued by the process itself, with no one in the loop. With
 * `callOff`, each order also draws down one contract, whose consumption must add up at the end.
 */
function orderKind(options: { callOff: boolean }): ProcessKind {
  const UNIT_PRICE = '8.00';
  return {
    name: options.callOff ? 'call-off' : 'order',
    async prepare(h, count) {
      const o = orderDriver(h);
      const [customer, product] = await Promise.all([o.customer('10000000.00'), o.product({ stock: count + 5 })]);
      const shared: Shared = { customerId: customer.id, sku: product.sku, stock: count + 5 };
      if (options.callOff) {
        const contract = await contractDriver(h).active({ customerId: customer.id, targetValue: '10000000.00', prices: [{ sku: product.sku, unitPrice: UNIT_PRICE }] });
        shared.contractId = contract.id;
      }
      return shared;
    },
    async open(h, shared) {
      const contract = options.callOff ? { contractId: shared.contractId } : {};
      return (await orderDriver(h).order({ customerId: shared.customerId, ...contract, lines: [{ sku: shared.sku, qty: 1 }], paymentTerms: 'credit', deliveryAddress: '1 Main St' })).id;
    },
    async drive(h, id, gate) {
      const o = orderDriver(h);
      await gate.step(() => o.reaches(id, 'fulfilling', 120_000));
      await gate.step(() => o.act('fulfilment', id, 'shipments', { carrier: 'DHL', trackingNo: `TRK-${id}` }));
      await gate.step(() => o.act('fulfilment', id, 'delivered'));
    },
    async audit(h, ids, shared) {
      const sql = h.database.sql;
      const done = await finished(h, 'orders', ids, 'completed');
      const timelines = await auditTimelines(h, 'order_events', 'order_id', ids, ['receive', 'price', 'reserve', 'fulfil', 'ship', 'deliver', 'invoice', 'complete']);
      const invoices = await sql<{ id: string; n: number }[]>`select order_id as id, count(*)::int as n from invoices where order_id = any(${ids}) group by order_id`;
      const reservations = await sql<{ id: string; n: number }[]>`select order_id as id, count(*)::int as n from reservations where order_id = any(${ids}) group by order_id, sku`;
      const [stock] = await sql<{ onHand: number; reserved: number }[]>`select stock_on_hand as "onHand", stock_reserved as reserved from products where sku = ${shared.sku as string}`;
      const lost = [...(done < ids.length ? [`${ids.length - done} orders not completed`] : []), ...timelines.lost];
      for (const id of ids) if (!invoices.some((i) => i.id === id)) lost.push(`${id}: no invoice`);
      const duplicated = [
        ...timelines.duplicated,
        ...invoices.filter((i) => i.n > 1).map((i) => `${i.id}: ${i.n} invoices`),
        ...reservations.filter((r) => r.n > 1).map((r) => `${r.id}: ${r.n} reservations of one sku`),
      ];
      // Stock adds up: every order took exactly one unit off the shelf, and nothing stays reserved.
      const expectedOnHand = (shared.stock as number) - done;
      if (stock!.onHand !== expectedOnHand || stock!.reserved !== 0) duplicated.push(`stock ${stock!.onHand} on hand / ${stock!.reserved} reserved, expected ${expectedOnHand} / 0`);
      if (options.callOff) {
        // Contract consumption adds up: one call-off per order, each consumed once, at the contract price.
        const callOffs = await sql<{ status: string; n: number; total: string }[]>`
          select status, count(*)::int as n, sum(total)::text as total from contract_call_offs where contract_id = ${shared.contractId as string} group by status`;
        const consumed = callOffs.find((c) => c.status === 'consumed');
        const expectedTotal = (done * Number(UNIT_PRICE)).toFixed(2);
        if ((consumed?.n ?? 0) < done) lost.push(`${done - (consumed?.n ?? 0)} call-offs not consumed`);
        if (consumed && Number(consumed.total).toFixed(2) !== expectedTotal) duplicated.push(`contract consumed ${consumed.total}, expected ${expectedTotal}`);
        for (const other of callOffs.filter((c) => c.status !== 'consumed')) duplicated.push(`${other.n} call-offs left ${other.status}`);
      }
      return { completed: done, lost, duplicated };
    },
  };
}

export const PROCESS_KINDS: ProcessKind[] = [ticketKind, orderKind({ callOff: false }), orderKind({ callOff: true })];

export interface Fleet {
  ids: Record<string, string[]>;
  shared: Record<string, Shared>;
  /** Resolves when every process has been driven through its human steps. */
  driven: Promise<unknown>;
  audit(): Promise<Record<string, Audit>>;
}

/** Opens `perKind` processes of every kind at once and drives them all concurrently. */
export async function launchFleet(h: Harness, perKind: number, gate: Gate, kinds: ProcessKind[] = PROCESS_KINDS): Promise<Fleet> {
  const shared = Object.fromEntries(await Promise.all(kinds.map(async (kind) => [kind.name, await kind.prepare(h, perKind)] as const)));
  const ids = Object.fromEntries(await Promise.all(kinds.map(async (kind) =>
    [kind.name, await Promise.all(Array.from({ length: perKind }, () => kind.open(h, shared[kind.name]!)))] as const)));
  const driven = Promise.all(kinds.flatMap((kind) => ids[kind.name]!.map((id) => kind.drive(h, id, gate))));
  return {
    ids, shared, driven,
    async audit() {
      return Object.fromEntries(await Promise.all(kinds.map(async (kind) => [kind.name, await kind.audit(h, ids[kind.name]!, shared[kind.name]!)] as const)));
    },
  };
}

/** Midway through a fleet: a quarter of its orders are invoiced, the rest are still on their way. */
export async function midway(h: Harness, fleet: Fleet): Promise<void> {
  const orders = fleet.ids.order!;
  await eventually(async () => (await h.database.sql<{ n: number }[]>`select count(*)::int as n from invoices where order_id = any(${orders})`)[0]!.n,
    (n) => n >= Math.ceil(orders.length / 4), { timeoutMs: 90_000, intervalMs: 50 });
}
