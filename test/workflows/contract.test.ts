import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPROVAL_THRESHOLDS } from '../../domain/approvals';
import { contractClock } from '../../domain/contract-time';
import { addDays, dayOf, REAL_DAY_MS } from '../../domain/dates';
import type { ContractTerms } from '../../domain/contracts';
import { FailureType } from '../../domain/failures';
import {
  CONTRACT_WORKFLOW, contractOpened, contractState, contractUpdates, type ContractEventRecord, type ContractInput, type ContractWorkflow,
} from '../../domain/processes/contract';
import type { Actor } from '../../domain/roles';
import { eventually } from '../helpers/wait';
import { startWorkflowWorker, type WorkflowTestWorker } from '../helpers/workflow-worker';

// The contract on a real Temporal server with stubbed activities: approval chains and rounds, and its
// clocks (billing periods, renewal notice, expiry, renewal as a new run) on days of a few milliseconds.

/** Never early; the dev server fires a timer up to about a second after it is due. */
const LATENESS_MS = 1500;
const owner: Actor = { id: 'agent-1', name: 'Owner', roles: ['agent'] };
const salesManager: Actor = { id: 'sm-1', name: 'Sales manager', roles: ['sales_manager'] };
const finance: Actor = { id: 'fin-1', name: 'Finance', roles: ['finance'] };
const legal: Actor = { id: 'legal-1', name: 'Legal', roles: ['legal'] };
const admin: Actor = { id: 'ca-1', name: 'Contract admin', roles: ['contract_admin'] };
const iso = (ms: number) => new Date(ms).toISOString();

let w: WorkflowTestWorker;
beforeAll(async () => {
  w = await startWorkflowWorker({
    loadContractPolicy: async () => ({ thresholds: DEFAULT_APPROVAL_THRESHOLDS, invoiceDueDays: 14 }),
    recordContract: async () => {},
    notify: async () => {},
    issueInvoice: async () => ({ invoiceId: `INV-${randomUUID().slice(0, 8)}` }),
  });
});
afterAll(() => w?.close());

async function openContract(options: { valueCents: number; dayMs?: number; months?: number } & Partial<ContractTerms>) {
  const { valueCents, dayMs = REAL_DAY_MS, months = 12, ...overrides } = options;
  const number = `C-2026-${randomUUID().slice(0, 8)}`;
  const validFrom = Date.now();
  const terms: ContractTerms = {
    validFrom, validTo: contractClock(dayMs).monthsAfter(validFrom, months), targetValueCents: valueCents, targetQuantities: null, prices: [],
    paymentTerms: 'net30', billing: null, autoRenew: false, renewalMonths: 12, noticeDays: 0, terms: null, ...overrides,
  };
  const input: ContractInput = {
    number, customerId: 'CUS-000001', type: 'value', terms, actor: owner, dayMs,
    particulars: { externalRef: null, poDate: null, salesOrg: null, channel: null, division: null, sla: null },
  };
  const handle = await w.client.workflow.start<ContractWorkflow>(CONTRACT_WORKFLOW, { taskQueue: w.taskQueue, workflowId: `contract-${number}`, args: [input] });
  await handle.executeUpdate(contractOpened);
  return { handle, workflowId: handle.workflowId, terms, number };
}
type Handle = Awaited<ReturnType<typeof openContract>>['handle'];

const events = (workflowId: string): ContractEventRecord[] => w.callsOf(workflowId, 'recordContract').map((call) => call.input.event);
const decisions = (workflowId: string) => w.callsOf(workflowId, 'recordContract').flatMap((call) => (call.input.approval ? [call.input.approval] : []))
  .map(({ round, step, role, decision, actorId }) => ({ round, step, role, decision, actorId }));
const approve = (handle: Handle, actor: Actor) => handle.executeUpdate(contractUpdates.approve, { args: [{ actor }] });
const terminateNow = (handle: Handle) =>
  handle.executeUpdate(contractUpdates.terminate, { args: [{ actor: admin, reason: 'test over', effectiveDate: iso(Date.now() - 1000) }] });

describe('contract workflow', () => {
  it('sends a contract at the legal threshold through sales manager, finance and legal, in that order', async () => {
    const { handle, workflowId } = await openContract({ valueCents: DEFAULT_APPROVAL_THRESHOLDS.legalFromCents });
    const submitted = await handle.executeUpdate(contractUpdates.submit, { args: [{ actor: owner }] });
    expect(submitted).toMatchObject({ status: 'pending_approval', approval: { round: 1, chain: ['sales_manager', 'finance', 'legal'], step: 0, awaiting: 'sales_manager' } });

    const outOfTurn = await approve(handle, finance).catch((error: unknown) => error);
    expect(outOfTurn).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((outOfTurn as WorkflowUpdateFailedError).cause).toMatchObject({ type: FailureType.Forbidden });

    expect((await approve(handle, salesManager)).approval).toMatchObject({ step: 1, awaiting: 'finance' });
    expect((await approve(handle, finance)).approval).toMatchObject({ step: 2, awaiting: 'legal' });
    expect(await approve(handle, legal)).toMatchObject({ status: 'approved', approval: null });
    expect(decisions(workflowId)).toEqual([
      { round: 1, step: 0, role: 'sales_manager', decision: 'approved', actorId: salesManager.id },
      { round: 1, step: 1, role: 'finance', decision: 'approved', actorId: finance.id },
      { round: 1, step: 2, role: 'legal', decision: 'approved', actorId: legal.id },
    ]);
    await terminateNow(handle);
    expect(await handle.result()).toMatchObject({ status: 'terminated' });
  });

  it('returns a rejected contract to draft, and a resubmission opens a new round from the first approver', async () => {
    const { handle, workflowId } = await openContract({ valueCents: DEFAULT_APPROVAL_THRESHOLDS.financeFromCents });
    await handle.executeUpdate(contractUpdates.submit, { args: [{ actor: owner }] });
    await approve(handle, salesManager);
    const rejected = await handle.executeUpdate(contractUpdates.reject, { args: [{ actor: finance, comment: 'payment terms too long' }] });
    expect(rejected).toMatchObject({ status: 'draft', approval: null, lastRejection: { role: 'finance', actorId: finance.id, comment: 'payment terms too long' } });

    const resubmitted = await handle.executeUpdate(contractUpdates.submit, { args: [{ actor: owner }] });
    expect(resubmitted).toMatchObject({ status: 'pending_approval', lastRejection: null, approval: { round: 2, chain: ['sales_manager', 'finance'], step: 0, awaiting: 'sales_manager' } });
    await approve(handle, salesManager);
    expect(await approve(handle, finance)).toMatchObject({ status: 'approved' });
    expect(decisions(workflowId)).toEqual([
      { round: 1, step: 0, role: 'sales_manager', decision: 'approved', actorId: salesManager.id },
      { round: 1, step: 1, role: 'finance', decision: 'rejected', actorId: finance.id },
      { round: 2, step: 0, role: 'sales_manager', decision: 'approved', actorId: salesManager.id },
      { round: 2, step: 1, role: 'finance', decision: 'approved', actorId: finance.id },
    ]);
    expect(events(workflowId).filter((e) => e.action === 'submit').map((e) => e.note)).toEqual(['approval round 1', 'approval round 2']);
    await terminateNow(handle);
  });

  it('bills each period from its start, gives notice before the end, and expires at valid-to', async () => {
    const dayMs = 30; // a month is about 0.9 s
    const clock = contractClock(dayMs);
    const { handle, workflowId, terms, number } = await openContract({
      valueCents: 10_000_00, dayMs, months: 2, noticeDays: 10, billing: { frequency: 'monthly', amountCents: 500_00 },
    });
    await handle.executeUpdate(contractUpdates.submit, { args: [{ actor: owner }] });
    await approve(handle, salesManager);
    // Signed after valid-from, the contract is active at once.
    expect(await handle.executeUpdate(contractUpdates.sign, { args: [{ actor: admin }] })).toMatchObject({ status: 'active' });

    expect(await handle.result()).toMatchObject({ status: 'expired' });
    const periods = [terms.validFrom, clock.monthsAfter(terms.validFrom, 1)];
    const invoices = w.callsOf(workflowId, 'issueInvoice');
    expect(invoices.map((call) => call.input.dedupeKey)).toEqual(periods.map((at) => `contract:${number}:${iso(at)}`));
    invoices.forEach((call, k) => {
      expect(call.startedAt).toBeGreaterThanOrEqual(periods[k]!);
      expect(call.input).toMatchObject({ amountCents: 500_00, issuedOn: dayOf(periods[k]!), dueOn: addDays(dayOf(periods[k]!), 30) });
    });
    const notices = w.callsOf(workflowId, 'notify');
    expect(notices.map((call) => [call.input.kind, call.input.audience])).toEqual([['contract.expiring', [`user:${owner.id}`]], ['contract.expiring', ['role:contract_admin']]]);
    expect(notices[0]!.startedAt).toBeGreaterThanOrEqual(terms.validTo - clock.days(10));

    const expired = events(workflowId).at(-1)!;
    expect(events(workflowId).map((e) => e.action)).toEqual(['open', 'submit', 'approve', 'sign', 'activate', 'expire']);
    expect(expired).toMatchObject({ actorId: 'system', fromStatus: 'active', toStatus: 'expired' });
    expect(expired.at).toBeGreaterThanOrEqual(terms.validTo);
    expect(expired.at).toBeLessThan(terms.validTo + LATENESS_MS);
  });

  it('renews an auto-renewing contract at valid-to into a fresh run that carries its term, version and approvals on', async () => {
    const dayMs = 30;
    const clock = contractClock(dayMs);
    const { handle, workflowId, terms } = await openContract({ valueCents: 10_000_00, dayMs, months: 1, autoRenew: true, renewalMonths: 12 });
    await handle.executeUpdate(contractUpdates.submit, { args: [{ actor: owner }] });
    await approve(handle, salesManager);
    await handle.executeUpdate(contractUpdates.sign, { args: [{ actor: admin }] });

    const renewed = await eventually(() => handle.query(contractState, admin), (view) => view.term === 2, { intervalMs: 100 });
    expect(renewed).toMatchObject({ status: 'active', version: 2, validTo: iso(clock.monthsAfter(terms.validTo, 12)) });
    const renewal = events(workflowId).find((e) => e.action === 'auto-renew')!;
    expect(renewal.at).toBeGreaterThanOrEqual(terms.validTo);
    // The old run answers term 2 as soon as it has renewed, and continues as new once its writes are done.
    const latest = await eventually(() => w.client.workflow.getHandle(workflowId).describe(), (run) => run.runId !== handle.firstExecutionRunId, { intervalMs: 100 });
    expect(latest.status.name).toBe('RUNNING');

    await terminateNow(handle);
    expect(await handle.result()).toMatchObject({ status: 'terminated', term: 2, version: 2 });
    // The new run goes on numbering the contract's events where the first stopped.
    const seqs = events(workflowId).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
  });
});
