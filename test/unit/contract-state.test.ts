import { describe, expect, it } from 'vitest';
import { contractClock } from '../../domain/contract-time';
import { parseInstant, REAL_DAY_MS } from '../../domain/dates';
import type { ContractTerms } from '../../domain/contracts';
import { DEFAULT_APPROVAL_THRESHOLDS } from '../../domain/approvals';
import type { ContractCarry, ContractInput } from '../../domain/processes/contract';
import {
  activateContract, amendContract, approveStep, contractCarry, contractRecord, contractView, draftContract, endContract, fullyConsumed, nextContractDeadline,
  noticeSent, openContract, rejectStep, renewContract, resumeContract, submitContract, type ContractProcess,
} from '../../domain/processes/contract-state';
import type { Actor } from '../../domain/roles';

const clock = contractClock(REAL_DAY_MS);
const NOW = parseInstant('2026-03-01');
const admin: Actor = { id: 'U-admin', name: 'Admin', roles: ['contract_admin'] };
const manager: Actor = { id: 'U-sm', name: 'SM', roles: ['sales_manager'] };
const finance: Actor = { id: 'U-fi', name: 'Fi', roles: ['finance'] };
const policy = { thresholds: DEFAULT_APPROVAL_THRESHOLDS, invoiceDueDays: 30 };

const terms: ContractTerms = {
  validFrom: parseInstant('2026-01-01'), validTo: parseInstant('2026-12-31'), targetValueCents: 5_000_000, targetQuantities: null, prices: [],
  paymentTerms: null, billing: null, autoRenew: true, renewalMonths: 12, noticeDays: 30, terms: null,
};
const input: ContractInput = {
  number: 'C-2026-000001', customerId: 'CUS-000001', type: 'value', terms, actor: admin, dayMs: REAL_DAY_MS,
  particulars: { externalRef: null, poDate: null, salesOrg: null, channel: null, division: null, sla: null },
};

/** An active contract under version 1. */
function active(): ContractProcess {
  const opened = openContract(draftContract(terms, NOW), policy, admin, NOW).contract;
  const approved = approveStep(submitContract(opened, admin), manager, null, NOW).contract;
  return activateContract({ ...approved, status: 'signed', signedAt: NOW }, NOW);
}

describe('contract state: approvals', () => {
  it('opens a round on submit with the chain the policy gives, and approves a small contract in one step', () => {
    const submitted = submitContract(openContract(draftContract(terms, NOW), policy, admin, NOW).contract, admin);
    expect(submitted).toMatchObject({ status: 'pending_approval', round: 1, approval: { round: 1, kind: 'contract', chain: ['sales_manager'], step: 0, version: 1 } });
    const { contract, approval, versions } = approveStep(submitted, manager, 'ok', NOW);
    expect(contract).toMatchObject({ status: 'approved', approval: null });
    expect(approval).toEqual({ round: 1, step: 0, version: 1, role: 'sales_manager', decision: 'approved', actorId: manager.id, comment: 'ok', at: NOW });
    expect(versions).toBeUndefined();
  });

  it('sends a rejected draft back with the rejection, and the next submission opens round 2', () => {
    const submitted = submitContract(openContract(draftContract(terms, NOW), policy, admin, NOW).contract, admin);
    const { contract } = rejectStep(submitted, manager, 'too cheap', NOW);
    expect(contract).toMatchObject({ status: 'draft', approval: null, lastRejection: { role: 'sales_manager', actorId: manager.id, comment: 'too cheap' } });
    expect(submitContract(contract, admin)).toMatchObject({ round: 2, lastRejection: null, approval: { round: 2, step: 0 } });
  });

  it('brings a raised amendment into force on the last approval and supersedes the version it replaces', () => {
    const raised = { ...terms, targetValueCents: 15_000_000 };
    const amended = amendContract(active(), raised, 'second site', admin, NOW);
    expect(amended.contract).toMatchObject({ version: 1, latestVersion: 2, terms, approval: { kind: 'amendment', chain: ['sales_manager', 'finance'], version: 2, amended: raised } });
    expect(amended.versions).toEqual([{ version: 2, kind: 'amendment', status: 'pending_approval', reason: 'second site', terms: raised, createdBy: admin.id, createdAt: NOW, decidedAt: null }]);
    const first = approveStep(amended.contract, manager, null, NOW);
    expect(first.contract).toMatchObject({ version: 1, approval: { step: 1 } });
    expect(first.versions).toBeUndefined();
    const last = approveStep(first.contract, finance, null, NOW + 1);
    expect(last.contract).toMatchObject({ status: 'active', version: 2, latestVersion: 2, terms: raised, approval: null });
    expect(last.approval).toMatchObject({ step: 1, role: 'finance', decision: 'approved' });
    expect(last.versions).toEqual([
      { version: 1, kind: 'amendment', status: 'superseded', reason: null, terms, createdBy: finance.id, createdAt: NOW + 1, decidedAt: NOW + 1 },
      { version: 2, kind: 'amendment', status: 'in_force', reason: 'second site', terms: raised, createdBy: finance.id, createdAt: NOW + 1, decidedAt: NOW + 1 },
    ]);
  });

  it('puts an amendment that does not raise the value into force at once', () => {
    const shorter = { ...terms, validTo: parseInstant('2026-06-30') };
    const { contract, versions } = amendContract(active(), shorter, 'shorter', admin, NOW);
    expect(contract).toMatchObject({ version: 2, latestVersion: 2, terms: shorter, approval: null });
    expect(versions!.map((v) => [v.version, v.status])).toEqual([[1, 'superseded'], [2, 'in_force']]);
  });
});

describe('contract state: renewal and ending', () => {
  it('renews by extending validTo by the renewal months, as a new version, with a fresh notice', () => {
    const noticed = noticeSent(active());
    const { contract, versions } = renewContract(noticed, 12, clock, admin, NOW);
    expect(contract).toMatchObject({ term: 2, version: 2, latestVersion: 2, renewed: true, noticeSent: false });
    expect(contract.terms.validTo).toBe(parseInstant('2027-12-31'));
    expect(versions!.map((v) => [v.version, v.kind, v.status, v.reason])).toEqual([[1, 'renewal', 'superseded', null], [2, 'renewal', 'in_force', 'term 2: 12 months']]);
  });

  it('withdraws an amendment still pending when the term renews or the contract ends', () => {
    const pending = amendContract(active(), { ...terms, targetValueCents: 9_000_000 }, 'more', admin, NOW).contract;
    const renewed = renewContract(pending, 1, clock, admin, NOW);
    expect(renewed.contract).toMatchObject({ approval: null, version: 3, latestVersion: 3 });
    expect(renewed.versions!.map((v) => [v.version, v.status, v.createdBy])).toEqual([[2, 'withdrawn', 'system'], [1, 'superseded', admin.id], [3, 'in_force', admin.id]]);
    const ended = endContract({ ...pending, termination: { at: NOW, reason: 'x' } }, 'terminated', NOW);
    expect(ended.contract).toMatchObject({ status: 'terminated', endedAt: NOW, termination: null, approval: null });
    expect(ended.versions!.map((v) => [v.version, v.status])).toEqual([[2, 'withdrawn']]);
  });

  it('completes a fully consumed active contract before anything else is due', () => {
    const consumed = fullyConsumed(active());
    expect(nextContractDeadline(consumed, clock, NOW)).toEqual({ kind: 'complete', at: NOW });
    expect(nextContractDeadline(active(), clock, NOW)).toEqual({ kind: 'notice', at: terms.validTo - 30 * REAL_DAY_MS });
    expect(nextContractDeadline(noticeSent(active()), clock, NOW)).toEqual({ kind: 'end-of-term', at: terms.validTo });
  });
});

describe('contract state: the continue-as-new carry', () => {
  it('carries consumption and the notice, so a renewal continuing as new loses neither', () => {
    const before = noticeSent(fullyConsumed(active()));
    const carry = contractCarry(before, 7);
    expect(carry).toMatchObject({ seq: 7, consumed: true, noticeSent: true, policy });
    const resumed = resumeContract(before.terms, carry);
    expect(resumed).toEqual({ ...before, renewed: false });
    expect(nextContractDeadline(resumed, clock, NOW)).toEqual({ kind: 'complete', at: NOW });
  });

  it('reads a carry written before consumed and noticeSent travelled as neither', () => {
    const { noticeSent: _n, consumed: _c, ...old } = contractCarry(fullyConsumed(active()), 3);
    const resumed = resumeContract(terms, old as ContractCarry);
    expect(resumed).toMatchObject({ consumed: false, noticeSent: false, renewed: false, endedAt: null, status: 'active' });
  });

  it('derives the view and the record from the same state', () => {
    const c = active();
    expect(contractView(c, input, clock, admin)).toMatchObject({ status: 'active', version: 1, term: 1, targetValue: '50000.00', allowedActions: ['amend', 'terminate', 'renew', 'termination-request'] });
    expect(contractRecord(c, input, 'contract-C-2026-000001')).toMatchObject({ status: 'active', version: 1, awaiting: null, activatedAt: NOW, endedAt: null });
  });
});
