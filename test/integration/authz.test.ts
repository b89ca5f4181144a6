import { randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../api/keys';
import { auditLog, customers, users } from '../../db/schema';
import type { Role } from '../../domain/roles';
import { contractDriver } from '../helpers/contracts';
import { financeColleague } from '../helpers/customers';
import { addUsers, startHarness, uniq, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';

// Issue 20, "Who may change what": field-level authorisation on customers and the four-eyes rules, on
// the real app, Temporal and PostgreSQL.

let h: Harness;
beforeAll(async () => { h = await startHarness({ worker: true, queues: ['orders', 'contracts'] }); });
afterAll(async () => { await h?.close(); });

type User = { id: string; auth: { authorization: string } };

/** A person holding several roles at once (an agent who is also finance, a contract admin who also approves). */
async function userWith(roles: Role[]): Promise<User> {
  const [user] = await h.database.db.insert(users).values({ name: `Test ${roles.join('+')}`, email: `${roles.join('-')}-${randomUUID().slice(0, 8)}@test.local`, roles }).returning({ id: users.id });
  const { apiKey } = await issueApiKey(h.database.db, user!.id);
  return { id: user!.id, auth: { authorization: `Bearer ${apiKey}` } };
}

async function as(user: User, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) {
  return h.app.inject({ method, url: `/api/v1${url}`, headers: user.auth, payload });
}

const auditOf = (resourceId: string, action: string) => h.database.db.select().from(auditLog).where(and(eq(auditLog.resourceId, resourceId), eq(auditLog.action, action)));

/** Sets settings for one test and puts them back afterwards, since the database is shared between files. */
async function withSettings(values: Record<string, unknown>, body: () => Promise<void>) {
  const before = (await as(h.users.admin, 'GET', '/settings')).json() as Record<string, unknown>;
  expect((await as(h.users.admin, 'PUT', '/settings', values)).statusCode).toBe(200);
  try {
    await body();
  } finally {
    await as(h.users.admin, 'PUT', '/settings', Object.fromEntries(Object.keys(values).map((key) => [key, before[key]])));
  }
}

describe('field-level authorisation on customers', () => {
  it("refuses an agent's raise of a credit limit (403 naming creditLimit, nothing written), so the agent's large credit order goes to credit_hold", async () => {
    const o = orderDriver(h);
    const customer = await o.customer('1000.00');
    const refused = await as(h.users.agent, 'PATCH', `/customers/${customer.id}`, { creditLimit: '9999999.00' });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 403, errors: [{ path: '/creditLimit' }] });
    expect(refused.json().detail).toContain('creditLimit');
    const [row] = await h.database.db.select().from(customers).where(eq(customers.id, customer.id));
    expect(row!.creditLimit).toBe('1000.00');
    expect(await auditOf(customer.id, 'customer.update')).toEqual([]);

    const product = await o.product({ stock: 5, listPrice: '1290.00' });
    const opened = await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 2 }], paymentTerms: 'credit' });
    await o.reaches(opened.id, 'credit_hold');
    expect((await o.get(opened.id)).live.credit).toEqual({ withinLimit: false, exposure: '2580.00', limit: '1000.00' });
  });

  it('lets agents create only standard customers within credit.defaultLimit; a supervisor gives a tier', async () => {
    const name = `Fields ${uniq()}`;
    const vip = await as(h.users.agent, 'POST', '/customers', { name, kind: 'enterprise', tier: 'vip', creditLimit: '100.00' });
    expect(vip.statusCode).toBe(403);
    expect(vip.json().errors).toEqual([expect.objectContaining({ path: '/tier' })]);
    const huge = await as(h.users.agent, 'POST', '/customers', { name, kind: 'enterprise', tier: 'standard', creditLimit: '999999999999.00' });
    expect(huge.statusCode).toBe(403);
    expect(huge.json().errors).toEqual([expect.objectContaining({ path: '/creditLimit', message: expect.stringContaining('credit.defaultLimit') })]);
    const both = await as(h.users.supervisor, 'POST', '/customers', { name, kind: 'enterprise', tier: 'vip', creditLimit: '999999999999.00' });
    expect(both.json().errors).toEqual([expect.objectContaining({ path: '/creditLimit' })]);
    expect(await h.database.db.select().from(customers).where(like(customers.name, name))).toEqual([]);

    expect((await as(h.users.agent, 'POST', '/customers', { name, kind: 'enterprise', tier: 'standard', creditLimit: '1000.00' })).statusCode).toBe(201);
    const created = await as(h.users.supervisor, 'POST', '/customers', { name, kind: 'enterprise', tier: 'vip', creditLimit: '0.00' });
    expect(created.json()).toMatchObject({ tier: 'vip' });
    const retiered = await as(h.users.sales_manager, 'PATCH', `/customers/${created.json().id}`, { tier: 'key' });
    expect(retiered.json()).toMatchObject({ tier: 'key' });
    expect((await as(h.users.agent, 'PATCH', `/customers/${created.json().id}`, { tier: 'standard' })).statusCode).toBe(403);
    expect((await as(h.users.finance, 'PATCH', `/customers/${created.json().id}`, { name: 'Renamed' })).json().errors).toEqual([expect.objectContaining({ path: '/name' })]);
  });

  it('has finance change a limit with a reason (audited); a raise above credit.selfServiceLimit waits for a second finance user', async () => {
    const customer = await orderDriver(h).customer('1000.00');
    const url = `/customers/${customer.id}`;
    const noReason = await as(h.users.finance, 'PATCH', url, { creditLimit: '5000.00' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([expect.objectContaining({ path: '/reason' })]);

    expect((await as(h.users.finance, 'PATCH', url, { creditLimit: '5000.00', reason: 'bank guarantee' })).json()).toMatchObject({ creditLimit: '5000.00' });
    expect((await auditOf(customer.id, 'customer.credit-limit.change')).map((a) => a.detail)).toEqual([{ from: '1000.00', to: '5000.00', reason: 'bank guarantee' }]);

    const asked = await as(h.users.finance, 'PATCH', url, { creditLimit: '250000.00', reason: 'group guarantee' });
    expect(asked.statusCode).toBe(202);
    const request = asked.json().creditLimitRequest;
    expect(asked.json()).toMatchObject({ customer: { creditLimit: '5000.00' }, creditLimitRequest: { status: 'pending', fromLimit: '5000.00', toLimit: '250000.00', requestedBy: h.users.finance.id } });

    const self = await as(h.users.finance, 'POST', `${url}/credit-limit-requests/${request.id}/approve`, {});
    expect(self.statusCode).toBe(403);
    expect(self.json().detail).toContain('four eyes');
    expect((await as(h.users.agent, 'POST', `${url}/credit-limit-requests/${request.id}/approve`, {})).statusCode).toBe(403);

    const colleague = await financeColleague(h);
    const approved = await as(colleague, 'POST', `${url}/credit-limit-requests/${request.id}/approve`, { comment: 'checked' });
    expect(approved.json()).toMatchObject({ customer: { creditLimit: '250000.00' }, creditLimitRequest: { status: 'approved', decidedBy: colleague.id, comment: 'checked' } });
    expect((await as(colleague, 'POST', `${url}/credit-limit-requests/${request.id}/reject`, {})).statusCode).toBe(409);
    expect(await auditOf(customer.id, 'customer.credit-limit.approve')).toHaveLength(1);

    // Lowering a limit is finance's alone, whatever the amount.
    expect((await as(h.users.finance, 'PATCH', url, { creditLimit: '100.00', reason: 'risk review' })).json()).toMatchObject({ creditLimit: '100.00' });
  });
});

/** The processes on `user`'s task list (GET /tasks) with a task of `kind`, every page of it (the oldest come first). */
async function tasksListedFor(user: User, kind: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await as(user, 'GET', `/tasks?kind=${kind}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    ids.push(...res.json().items.map((task: { process: { id: string } }) => task.process.id));
    cursor = res.json().nextCursor;
  } while (cursor);
  return ids;
}
const approvalsListedFor = (user: User) => tasksListedFor(user, 'contract.approval');

describe('four eyes on contracts', () => {
  it('refuses the drafter and the submitter the approval (403, no approve among their actions); a colleague approves', async () => {
    const c = contractDriver(h);
    const [drafter, colleague] = await addUsers(h, 'sales_manager', 2);
    const customer = await c.customer();
    const draft = await as(drafter!, 'POST', '/contracts', { customerId: customer.id, type: 'value', targetValue: '50000.00', validFrom: '2026-01-01', validTo: '2027-12-31' });
    expect(draft.statusCode).toBe(201);
    const id = draft.json().id;
    const submitted = await as(drafter!, 'POST', `/contracts/${id}/submit`, {});
    expect(submitted.json()).toMatchObject({ status: 'pending_approval', approval: { awaiting: 'sales_manager' } });
    expect(submitted.json().allowedActions).not.toContain('approve');

    const refused = await as(drafter!, 'POST', `/contracts/${id}/approve`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/four eyes: you drafted this contract/);
    // Nor is it on the drafter's task list: it is the other sales managers' step.
    expect(await approvalsListedFor(drafter!)).not.toContain(id);
    expect(await approvalsListedFor(colleague!)).toContain(id);
    expect((await c.get(id)).approvals).toEqual([]);

    // Someone else drafted this one; the sales manager who submitted it may not approve it either.
    const other = await c.draft({ customerId: customer.id });
    const [submitter] = await addUsers(h, 'sales_manager', 1);
    await as(submitter!, 'POST', `/contracts/${other.id}/submit`, {});
    expect((await as(submitter!, 'POST', `/contracts/${other.id}/approve`, {})).json().detail).toMatch(/you submitted this contract/);
    expect(await approvalsListedFor(submitter!)).not.toContain(other.id);
    expect(await approvalsListedFor(drafter!)).toContain(other.id);

    const approved = await as(colleague!, 'POST', `/contracts/${id}/approve`, { comment: 'fine' });
    expect(approved.json()).toMatchObject({ status: 'approved' });
  });

  it("refuses an amendment's proposer its approval", async () => {
    const c = contractDriver(h);
    const contract = await c.active();
    const both = await userWith(['contract_admin', 'sales_manager']);
    const amended = await as(both, 'POST', `/contracts/${contract.id}/amend`, { changes: { targetValue: '60000.00' }, reason: 'second site' });
    expect(amended.json()).toMatchObject({ pendingAmendment: { targetValue: '60000.00' }, approval: { awaiting: 'sales_manager' } });
    expect(amended.json().allowedActions).not.toContain('approve');
    const refused = await as(both, 'POST', `/contracts/${contract.id}/approve`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/you proposed this amendment/);
    expect(await approvalsListedFor(both)).not.toContain(contract.id);
    expect(await approvalsListedFor(h.users.sales_manager)).toContain(contract.id);
    expect((await c.act('sales_manager', contract.id, 'approve', {})).targetValue).toBe('60000.00');
  });

  it('relaxes the rule for contracts opened while fourEyes.contractApproval is off, audits each override, and keeps it for contracts opened before', async () => {
    const c = contractDriver(h);
    const [drafter] = await addUsers(h, 'sales_manager', 1);
    const customer = await c.customer();
    const draft = (body: object = {}) => as(drafter!, 'POST', '/contracts', { customerId: customer.id, type: 'value', targetValue: '50000.00', validFrom: '2026-01-01', validTo: '2027-12-31', ...body });
    const before = (await draft()).json().id;
    await as(drafter!, 'POST', `/contracts/${before}/submit`, {});
    await withSettings({ 'fourEyes.contractApproval': false }, async () => {
      const relaxed = (await draft()).json().id;
      const submitted = await as(drafter!, 'POST', `/contracts/${relaxed}/submit`, {});
      expect(submitted.json().allowedActions).toContain('approve');
      expect(await approvalsListedFor(drafter!)).toContain(relaxed);
      expect((await as(drafter!, 'POST', `/contracts/${relaxed}/approve`, {})).json()).toMatchObject({ status: 'approved' });
      expect((await auditOf(relaxed, 'four-eyes.override')).map((a) => ({ actorId: a.actorId, detail: a.detail }))).toEqual([{
        actorId: drafter!.id, detail: expect.objectContaining({ rule: 'fourEyes.contractApproval', action: 'approve', actorWas: 'drafted' }),
      }]);
      // The contract opened before the rule was relaxed keeps it.
      expect((await as(drafter!, 'POST', `/contracts/${before}/approve`, {})).statusCode).toBe(403);
    });
  });
});

describe('four eyes on credit holds', () => {
  async function heldOrderPlacedBy(placer: User) {
    const o = orderDriver(h);
    const customer = await o.customer('100.00');
    const product = await o.product({ stock: 5, listPrice: '60.00' });
    const placed = await as(placer, 'POST', '/orders', { customerId: customer.id, lines: [{ sku: product.sku, qty: 2 }], paymentTerms: 'credit' });
    expect(placed.statusCode, placed.body).toBe(201);
    await o.reaches(placed.json().id, 'credit_hold');
    return placed.json().id as string;
  }

  it("refuses the placer's own credit decision (403, not among their actions); another finance user decides", async () => {
    const placer = await userWith(['agent', 'finance']);
    const id = await heldOrderPlacedBy(placer);
    const view = (await as(placer, 'GET', `/orders/${id}`)).json();
    expect(view.live.allowedActions).not.toContain('credit-decision');
    expect(await tasksListedFor(placer, 'order.credit_hold')).not.toContain(id);
    expect(await tasksListedFor(h.users.finance, 'order.credit_hold')).toContain(id);
    const refused = await as(placer, 'POST', `/orders/${id}/credit-decision`, { approve: true });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/four eyes: you placed this order/);
    expect((await as(h.users.finance, 'POST', `/orders/${id}/credit-decision`, { approve: true })).statusCode).toBe(200);
    expect(await auditOf(id, 'four-eyes.override')).toEqual([]);
  });

  it('lets the placer decide when the order started with fourEyes.creditDecision off, and audits the override', async () => {
    const placer = await userWith(['agent', 'finance']);
    await withSettings({ 'fourEyes.creditDecision': false }, async () => {
      const id = await heldOrderPlacedBy(placer);
      expect((await as(placer, 'POST', `/orders/${id}/credit-decision`, { approve: false, note: 'small team' })).statusCode).toBe(200);
      expect((await auditOf(id, 'four-eyes.override')).map((a) => ({ actorId: a.actorId, detail: a.detail }))).toEqual([{
        actorId: placer.id, detail: { action: 'credit-decision', rule: 'fourEyes.creditDecision', actorWas: 'placed' },
      }]);
    });
  });
});
