import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness';
import { ticketDriver } from '../helpers/tickets';

let h: Harness;
let t: ReturnType<typeof ticketDriver>;
beforeAll(async () => {
  h = await startHarness({ worker: true });
  t = ticketDriver(h);
});
afterAll(async () => { await h?.close(); });

describe('ticket lifecycle', () => {
  it('escalates a fault from L1 to L2, which claims, resolves, and the customer confirms: closed', async () => {
    const opened = await t.open({ category: 'fault' });
    expect(opened).toMatchObject({ status: 'new', tier: 'L1' });
    expect(opened.id).toMatch(/^T-\d{4}-\d{6}$/);
    const escalated = await t.act('agent', opened.id, 'escalate', { opinion: 'Check the DSLAM port' });
    expect(escalated).toMatchObject({ status: 'escalated_l2', tier: 'L2', dispatchOpinion: 'Check the DSLAM port' });
    const claimed = await t.act('support_l2', opened.id, 'claim');
    expect(claimed).toMatchObject({ status: 'in_progress_l2', assigneeId: h.users.support_l2.id });
    await t.act('support_l2', opened.id, 'resolve', { resolution: 'Port reset' });
    const closed = await t.act('agent', opened.id, 'confirm', { satisfaction: 5 });
    expect(closed).toMatchObject({ status: 'closed', satisfaction: 5 });
    const detail = await t.get(opened.id);
    expect(detail.status).toBe('closed');
    expect(detail.timeline.map((e: { action: string }) => e.action)).toEqual(['open', 'escalate', 'claim', 'resolve', 'confirm']);
  });
});
