import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TICKET_WORKFLOW, ticketOpened, ticketState, ticketUpdates, type TicketEventRecord, type TicketInput, type TicketPolicy, type TicketWorkflow,
} from '../../domain/processes/ticket';
import type { Actor } from '../../domain/roles';
import { startWorkflowWorker, type WorkflowTestWorker } from '../helpers/workflow-worker';

// The complaint process on a real Temporal server with stubbed activities: the SLA clocks' arithmetic,
// what a breach does and in which order, measured on the events the workflow records.

const RESPONSE_MS = 2000;
// Well beyond the response window plus the timers' lateness, so tests of the response clock never see the resolution run out.
const RESOLUTION_MS = 8000;
const CONFIRMATION_MS = 1000;
/**
 * How late a timer may fire: never early, but the dev server fires a timer up to about a second after
 * it is due (a timer of a few ms, set when a deadline is all but reached, waits the longest).
 */
const LATENESS_MS = 1500;

const POLICY: TicketPolicy = {
  customerTier: 'standard', calendarName: null, calendar: null, confirmationWindowMs: CONFIRMATION_MS,
  sla: { responseMs: RESPONSE_MS, resolutionMs: RESOLUTION_MS, reminderAt: 0.5, source: 'policy' },
};
const agent: Actor = { id: 'agent-1', name: 'Agent', roles: ['agent'] };
const l2: Actor = { id: 'l2-1', name: 'Second level', roles: ['support_l2'] };
const supervisor: Actor = { id: 'sup-1', name: 'Supervisor', roles: ['supervisor'] };
const iso = (ms: number) => new Date(ms).toISOString();

let w: WorkflowTestWorker;
beforeAll(async () => {
  w = await startWorkflowWorker({
    loadTicketPolicy: async () => POLICY,
    recordTicket: async () => {},
    notify: async () => {},
  });
});
afterAll(() => w?.close());

async function openTicket(overrides: Partial<TicketInput> = {}) {
  const number = `T-2026-${randomUUID().slice(0, 8)}`;
  const input: TicketInput = {
    number, customerId: 'CUS-000001', channel: 'phone', category: 'fault', priority: 'high', subject: 'No dial tone', description: 'since Monday', actor: agent,
    ...overrides,
  };
  const handle = await w.client.workflow.start<TicketWorkflow>(TICKET_WORKFLOW, { taskQueue: w.taskQueue, workflowId: `ticket-${number}`, args: [input] });
  await handle.executeUpdate(ticketOpened);
  return { handle, workflowId: handle.workflowId };
}

const events = (workflowId: string): TicketEventRecord[] => w.callsOf(workflowId, 'recordTicket').map((call) => call.input.event);
const event = (workflowId: string, action: string) => events(workflowId).find((e) => e.action === action)!;
const breachRecorded = (workflowId: string, kind: string) => w.waitForCall(workflowId, 'recordTicket', (call) => call.input.event.action === `${kind}-breach`);

describe('ticket workflow', () => {
  it('breaches an unclaimed L2 ticket exactly one response window after the hand-off, escalates it to L3, then tells the supervisor', async () => {
    const { handle, workflowId } = await openTicket();
    await sleep(1000); // the hand-off comes well after intake, so a clock not restarted at the hand-off would breach a second early
    const handedOff = await handle.executeUpdate(ticketUpdates.escalate, { args: [{ actor: agent, opinion: 'line fault, needs a technician' }] });
    const escalated = event(workflowId, 'escalate');
    expect(handedOff).toMatchObject({ status: 'escalated_l2', tier: 'L2', dispatchOpinion: 'line fault, needs a technician' });
    expect(handedOff.sla.responseDueAt).toBe(iso(escalated.at + RESPONSE_MS));

    const breachCall = await breachRecorded(workflowId, 'response');
    const breach = breachCall.input.event;
    expect(breach.at - escalated.at).toBeGreaterThanOrEqual(RESPONSE_MS);
    expect(breach.at - escalated.at).toBeLessThan(RESPONSE_MS + LATENESS_MS);
    expect(breach).toMatchObject({ actorId: 'system', fromStatus: 'escalated_l2', fromTier: 'L2', toStatus: 'escalated_l3', toTier: 'L3', note: 'response SLA breached; escalated to L3' });
    // The L3 queue gets a fresh response window from the breach on.
    expect(breachCall.input.ticket).toMatchObject({ breached: true, escalations: 2, responseDueAt: breach.at + RESPONSE_MS });

    // Half-way through the L2 window the L2 queue was reminded; the supervisor hears of the breach only once it is recorded.
    const reminders = w.callsOf(workflowId, 'notify').filter((call) => call.input.kind === 'ticket.sla_reminder');
    const reminder = reminders.find((call) => call.input.data.clock === 'response' && call.input.data.percent === 50 && call.input.audience[0] === 'tier:L2')!;
    expect(reminder, JSON.stringify(reminders.map((call) => call.input))).toBeDefined();
    expect(reminder.startedAt).toBeGreaterThanOrEqual(escalated.at + RESPONSE_MS / 2);
    const told = await w.waitForCall(workflowId, 'notify', (call) => call.input.kind === 'ticket.sla_breached');
    expect(told.input).toMatchObject({ audience: ['role:supervisor'], data: { clock: 'response', tier: 'L3' } });
    expect(told.startedAt).toBeGreaterThanOrEqual(breachCall.finishedAt!);

    const view = await handle.query(ticketState, supervisor);
    expect(view).toMatchObject({ status: 'escalated_l3', tier: 'L3', breached: true, sla: { responseBreached: true, resolutionBreached: false } });
    await handle.executeUpdate(ticketUpdates.cancel, { args: [{ actor: supervisor, reason: 'test over' }] });
    expect(await handle.result()).toMatchObject({ status: 'cancelled' });
  });

  it('records a breach at L3 without escalating further and still tells the supervisor', async () => {
    const { handle, workflowId } = await openTicket();
    const reassigned = await handle.executeUpdate(ticketUpdates.reassign, { args: [{ actor: supervisor, tier: 'L3' }] });
    const handoff = event(workflowId, 'reassign');
    expect(reassigned.sla.responseDueAt).toBe(iso(handoff.at + RESPONSE_MS));

    const breach = (await breachRecorded(workflowId, 'response')).input.event;
    expect(breach.at - handoff.at).toBeGreaterThanOrEqual(RESPONSE_MS);
    expect(breach.at - handoff.at).toBeLessThan(RESPONSE_MS + LATENESS_MS);
    expect(breach).toMatchObject({ fromTier: 'L3', toTier: 'L3', fromStatus: 'escalated_l3', toStatus: 'escalated_l3', note: 'response SLA breached' });
    const told = await w.waitForCall(workflowId, 'notify', (call) => call.input.kind === 'ticket.sla_breached');
    expect(told.input).toMatchObject({ audience: ['role:supervisor'], data: { clock: 'response', tier: 'L3' } });

    await handle.executeUpdate(ticketUpdates.cancel, { args: [{ actor: supervisor, reason: 'test over' }] });
    const final = await handle.result();
    expect(final).toMatchObject({ status: 'cancelled', tier: 'L3', sla: { responseBreached: true } });
    expect(events(workflowId).map((e) => e.action)).toEqual(['open', 'reassign', 'response-breach', 'cancel']);
  });

  it('pauses the resolution clock while the customer owes an answer, so the deadline moves by exactly the pause, and closes an unconfirmed resolution when the confirmation window passes', async () => {
    const { handle, workflowId } = await openTicket({ category: 'billing' });
    await handle.executeUpdate(ticketUpdates.escalate, { args: [{ actor: agent, opinion: 'billing dispute' }] });
    await handle.executeUpdate(ticketUpdates.claim, { args: [{ actor: l2 }] });
    const paused = await handle.executeUpdate(ticketUpdates['request-info'], { args: [{ actor: l2, question: 'Which invoice?' }] });
    expect(paused).toMatchObject({ status: 'pending_customer', sla: { resolutionPaused: true, resolutionDueAt: null } });
    await sleep(600);
    const resumed = await handle.executeUpdate(ticketUpdates['customer-reply'], { args: [{ actor: agent, text: 'INV-7' }] });
    const intake = w.callsOf(workflowId, 'recordTicket')[0]!.input.ticket.createdAt; // the clocks start at intake, before the policy is loaded
    const [asked, answered] = [event(workflowId, 'request-info'), event(workflowId, 'customer-reply')];
    expect(answered.at - asked.at).toBeGreaterThanOrEqual(600);
    expect(resumed).toMatchObject({ status: 'in_progress_l2', sla: { resolutionPaused: false } });
    expect(resumed.sla.resolutionDueAt).toBe(iso(intake + RESOLUTION_MS + (answered.at - asked.at)));

    const resolved = await handle.executeUpdate(ticketUpdates.resolve, { args: [{ actor: l2, resolution: 'credited' }] });
    const resolvedAt = event(workflowId, 'resolve').at;
    expect(resolved.sla.confirmationDueAt).toBe(iso(resolvedAt + CONFIRMATION_MS));
    const final = await handle.result();
    const autoClose = event(workflowId, 'auto-close');
    expect(final).toMatchObject({ status: 'closed', breached: false, resolution: 'credited' });
    expect(autoClose).toMatchObject({ actorId: 'system', fromStatus: 'resolved', toStatus: 'closed' });
    expect(autoClose.at - resolvedAt).toBeGreaterThanOrEqual(CONFIRMATION_MS);
    expect(autoClose.at - resolvedAt).toBeLessThan(CONFIRMATION_MS + LATENESS_MS);
    expect(w.callsOf(workflowId, 'notify').filter((call) => call.input.audience.includes('role:supervisor'))).toEqual([]);
  });
});
