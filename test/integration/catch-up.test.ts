import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketUpdates } from '../../domain/processes/ticket';
import { workflowIdFor } from '../../domain/ids';
import { startHarness, type Harness } from '../helpers/harness';
import { ticketDriver } from '../helpers/tickets';

// A workflow task that wrote its steps as local activities and then died with its worker runs again from
// the last completed task: for those seconds the process's record is ahead of the process. An action the
// record admits, refused by the process in an earlier state, is tried again once the process catches up
// (within CRM_UPDATE_WAIT_MS); a refusal in the state the record shows is the answer at once.
const WAIT_MS = 3000;
let h: Harness;
let t: ReturnType<typeof ticketDriver>;
beforeAll(async () => {
  h = await startHarness({ worker: true, queues: ['tickets'], env: { CRM_UPDATE_WAIT_MS: String(WAIT_MS) } });
  t = ticketDriver(h);
});
afterAll(async () => { await h?.close(); });

/** The record runs ahead: it shows the ticket waiting at L2 while the process still has it new at L1. */
const recordAhead = (id: string) => h.database.sql`update tickets set status = 'escalated_l2', tier = 'L2' where id = ${id}`;

describe('a process behind its own record', () => {
  it('takes the action once the process has caught up with its record', async () => {
    const { id } = await t.open();
    await recordAhead(id);
    const claim = h.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/claim`, headers: h.users.support_l2.auth, payload: {} });
    // The process catches up while the claim waits (here by the escalation its record already shows).
    setTimeout(() => void h.client.workflow.getHandle(workflowIdFor('ticket', id)).executeUpdate(ticketUpdates.escalate, { args: [{ actor: { id: h.users.agent.id, name: 'Agent', roles: ['agent'] }, opinion: 'check the line' }] }), 500);
    const res = await claim;
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'in_progress_l2', tier: 'L2', assigneeId: h.users.support_l2.id });
  });

  it('answers 409 when the process does not catch up within the update wait', async () => {
    const { id } = await t.open();
    await recordAhead(id);
    const started = Date.now();
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/claim`, headers: h.users.support_l2.auth, payload: {} });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ state: 'new' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_MS);
  });

  it('answers a refusal in the state the record shows at once', async () => {
    const { id } = await t.open();
    const started = Date.now();
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/claim`, headers: h.users.support_l2.auth, payload: {} });
    expect(res.statusCode, res.body).toBe(409);
    expect(Date.now() - started).toBeLessThan(WAIT_MS);
  });
});
