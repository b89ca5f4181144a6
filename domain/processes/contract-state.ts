import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { contractApprovalChain } from '../approvals';
import { contractClock, type ContractClock } from '../contract-time';
import {
  BILLING_MONTHS, contractActions, fourEyesConflict, retentionNeedsApproval, retentionTerms,
  type ContractFacts, type ContractState, type ContractTerms, type ContractType, type FourEyesParty, type RetentionCase, type RetentionOffer,
} from '../contracts';
import { amountAttribute, fromCents } from '../money';
import type { Actor } from '../roles';
import { CrmAmount, CrmCustomerId, CrmDueAt, CrmKind, CrmStatus } from '../search-attributes';
import type {
  ApprovalDecisionRecord, ContractCarry, ContractInput, ContractPolicy, ContractRecord, ContractVersionRecord, ContractView, OpenApproval, RetentionView,
} from './contract';

// The contract process's state as one object, and every change to it as a pure function: the workflow
// (workflows/contract.ts) holds one ContractProcess, applies these and records what they return. The
// view, the database record, the search attributes, the current details and the continue-as-new carry
// are all read off the same object, so none of them can forget a field.

/** The actor of what the contract does by itself (activation, billing, renewal, expiry). */
export const CONTRACT_CLOCK: Actor = { id: 'system', name: 'contract clock', roles: [] };

export interface ContractProcess {
  status: ContractState;
  /** The terms in force. */
  terms: ContractTerms;
  /** The version in force, and the highest version number given out (a pending amendment holds one). */
  version: number;
  latestVersion: number;
  term: number;
  /** Approval rounds opened so far. */
  round: number;
  approval: OpenApproval | null;
  lastRejection: ContractView['lastRejection'];
  /** Loaded when the draft opens and kept for the contract's life; null until then. */
  policy: ContractPolicy | null;
  createdAt: number;
  signedAt: number | null;
  activatedAt: number | null;
  endedAt: number | null;
  billedPeriods: number;
  termination: { at: number; reason: string } | null;
  /** The owner was reminded that this term ends. */
  noticeSent: boolean;
  /** Call-offs have consumed the whole target (the `consumed` signal). */
  consumed: boolean;
  /** This run's term was renewed: the next term starts in a fresh run. */
  renewed: boolean;
  /** Who drafted the contract, known once it opens (null for a run carried from before it was kept). */
  draftedBy: string | null;
  /** The latest termination request and its retention step, or null. */
  retention: RetentionCase | null;
}

/** A change's outcome: the new state and the version and approval rows it produced. */
export interface ContractChange {
  contract: ContractProcess;
  versions?: ContractVersionRecord[];
  approval?: ApprovalDecisionRecord;
}

export function draftContract(terms: ContractTerms, now: number): ContractProcess {
  return {
    status: 'draft', terms, version: 1, latestVersion: 1, term: 1, round: 0, approval: null, lastRejection: null, policy: null,
    createdAt: now, signedAt: null, activatedAt: null, endedAt: null, billedPeriods: 0, termination: null,
    noticeSent: false, consumed: false, renewed: false, draftedBy: null, retention: null,
  };
}

/** The contract as a renewal (or a long history) handed it to this run. */
export function resumeContract(terms: ContractTerms, carried: ContractCarry): ContractProcess {
  const { seq: _seq, noticeSent, consumed, draftedBy, retention, ...rest } = carried;
  // Carries written before noticeSent, consumed, draftedBy and retention travelled lack them.
  return {
    ...rest, terms, endedAt: null, noticeSent: noticeSent ?? false, consumed: consumed ?? false, renewed: false, draftedBy: draftedBy ?? null, retention: retention ?? null,
  };
}

/** Everything the next run needs; the terms travel as the input's terms. */
export function contractCarry(c: ContractProcess, seq: number): ContractCarry {
  return {
    status: c.status, version: c.version, latestVersion: c.latestVersion, term: c.term, seq, round: c.round, policy: c.policy!, createdAt: c.createdAt,
    signedAt: c.signedAt, activatedAt: c.activatedAt, billedPeriods: c.billedPeriods, termination: c.termination, approval: c.approval,
    lastRejection: c.lastRejection, noticeSent: c.noticeSent, consumed: c.consumed, draftedBy: c.draftedBy, retention: c.retention,
  };
}

// ---- changes -----------------------------------------------------------------------------------

function versionRecord(
  version: number, kind: ContractVersionRecord['kind'], status: ContractVersionRecord['status'], terms: ContractTerms, actor: Actor, reason: string | null, now: number,
): ContractVersionRecord {
  return { version, kind, status, reason, terms, createdBy: actor.id, createdAt: now, decidedAt: status === 'pending_approval' ? null : now };
}

/** Puts a new version in force; the one it replaces is superseded. */
function bringIntoForce(c: ContractProcess, next: ContractTerms, nextVersion: number, kind: ContractVersionRecord['kind'], actor: Actor, reason: string | null, now: number): ContractChange {
  const superseded = versionRecord(c.version, kind, 'superseded', c.terms, actor, null, now);
  return {
    contract: { ...c, terms: next, version: nextVersion, latestVersion: Math.max(c.latestVersion, nextVersion) },
    versions: [superseded, versionRecord(nextVersion, kind, 'in_force', next, actor, reason, now)],
  };
}

/** `by` asked for the round (submitted the contract or proposed the amendment): with the drafter, they may not approve it. */
function openRound(c: ContractProcess, kind: OpenApproval['kind'], forTerms: ContractTerms, forVersion: number, reason: string | null, by: Actor): ContractProcess {
  const round = c.round + 1;
  const chain = contractApprovalChain({ totalCents: forTerms.targetValueCents, paymentTerms: forTerms.paymentTerms, terms: forTerms.terms }, c.policy!.thresholds);
  const conflicted: FourEyesParty[] = kind === 'contract'
    ? [...(c.draftedBy ? [{ actorId: c.draftedBy, as: 'drafted' as const }] : []), { actorId: by.id, as: 'submitted' }]
    : [{ actorId: by.id, as: 'proposed' }];
  return { ...c, round, approval: { round, kind, chain, step: 0, version: forVersion, amended: kind === 'amendment' ? forTerms : null, reason, conflicted } };
}

function decision(open: OpenApproval, actor: Actor, verdict: 'approved' | 'rejected', comment: string | null, now: number): ApprovalDecisionRecord {
  return { round: open.round, step: open.step, version: open.version, role: open.chain[open.step]!, decision: verdict, actorId: actor.id, comment, at: now };
}

/** Whether the contract keeps the four-eyes rule on approvals (contracts opened before the setting existed do). */
export const keepsFourEyes = (c: ContractProcess): boolean => c.policy?.fourEyes !== false;

/** An amendment still awaiting approval lapses when the contract ends or starts a new term. */
function withdrawAmendment(c: ContractProcess, now: number): ContractChange {
  if (!c.approval?.amended) return { contract: c, versions: [] };
  const { version, amended, reason } = c.approval;
  return { contract: { ...c, approval: null }, versions: [versionRecord(version, 'amendment', 'withdrawn', amended, CONTRACT_CLOCK, reason, now)] };
}

/** The draft's first version, in force from the start. */
export function openContract(c: ContractProcess, policy: ContractPolicy, actor: Actor, now: number): ContractChange {
  return { contract: { ...c, policy, draftedBy: actor.id }, versions: [versionRecord(1, 'draft', 'in_force', c.terms, actor, null, now)] };
}

export function submitContract(c: ContractProcess, submitter: Actor): ContractProcess {
  return { ...openRound(c, 'contract', c.terms, c.version, null, submitter), status: 'pending_approval', lastRejection: null };
}

/** One step of the open round approves; the last step approves the contract or brings the amendment into force. */
export function approveStep(c: ContractProcess, actor: Actor, comment: string | null, now: number): ContractChange {
  const open = c.approval!;
  // Only reachable for a conflicted approver when the contract's policy relaxed the rule: that is recorded.
  const override = keepsFourEyes(c) ? null : fourEyesConflict(open, actor.id);
  const approved = { ...decision(open, actor, 'approved', comment, now), ...(override ? { fourEyesOverride: override } : {}) };
  const step = open.step + 1;
  if (step < open.chain.length) return { contract: { ...c, approval: { ...open, step } }, approval: approved };
  const closed = { ...c, approval: null, retention: open.retention ? decideRetention(c.retention, 'retained', now) : c.retention };
  if (open.kind === 'contract') return { contract: { ...closed, status: 'approved' }, approval: approved };
  return { ...bringIntoForce(closed, open.amended!, open.version, 'amendment', actor, open.reason, now), approval: approved };
}

/** A rejection ends the round: a draft goes back to its author, a rejected amendment leaves the version in force. */
export function rejectStep(c: ContractProcess, actor: Actor, comment: string, now: number): ContractChange {
  const open = c.approval!;
  const rejected = decision(open, actor, 'rejected', comment, now);
  // A rejected retention offer goes back to the retention step: another offer, or the customer leaves.
  const retention = open.retention && c.retention ? { ...c.retention, status: 'open' as const, offer: null } : c.retention;
  const closed: ContractProcess = { ...c, approval: null, retention, lastRejection: { role: rejected.role, actorId: actor.id, comment } };
  if (open.kind === 'contract') return { contract: { ...closed, status: 'draft' }, approval: rejected };
  return { contract: closed, approval: rejected, versions: [versionRecord(open.version, 'amendment', 'rejected', open.amended!, actor, open.reason, now)] };
}

export function signContract(c: ContractProcess, signedAt: number): ContractProcess {
  return { ...c, status: 'signed', signedAt };
}

export function activateContract(c: ContractProcess, now: number): ContractProcess {
  return { ...c, status: 'active', activatedAt: now };
}

/**
 * Amended terms (domain/contracts.ts amendTerms) take the next version number. A raised value is
 * approved for the new total first, while the contract runs on under the version in force; so, since
 * SPEC §6 was read closely (`reviewTermsAndPrices`), is new terms text or a new price list, by the chain
 * a draft with the amended terms would get. Only a lower value or a changed validity comes into force at once.
 */
export function amendContract(c: ContractProcess, amended: ContractTerms, reason: string, actor: Actor, now: number, reviewTermsAndPrices = false): ContractChange {
  const next = c.latestVersion + 1;
  const numbered = { ...c, latestVersion: next };
  const reviewed = reviewTermsAndPrices && (amended.terms !== c.terms.terms || !samePrices(amended, c.terms));
  if (amended.targetValueCents > c.terms.targetValueCents || reviewed) {
    return { contract: openRound(numbered, 'amendment', amended, next, reason, actor), versions: [versionRecord(next, 'amendment', 'pending_approval', amended, actor, reason, now)] };
  }
  return bringIntoForce(numbered, amended, next, 'amendment', actor, reason, now);
}

function samePrices(a: ContractTerms, b: ContractTerms): boolean {
  const key = (t: ContractTerms) => JSON.stringify([...t.prices].sort((x, y) => (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0)));
  return key(a) === key(b);
}

export function scheduleTermination(c: ContractProcess, at: number, reason: string): ContractProcess {
  return { ...c, termination: { at, reason } };
}

/** Expiry, termination or completion: a pending amendment is withdrawn. */
export function endContract(c: ContractProcess, final: ContractState, now: number): ContractChange {
  const { contract, versions } = withdrawAmendment(c, now);
  // A retention step still open when the contract ends has lost the customer.
  const retention = contract.retention && isRetentionOpen(contract.retention) ? decideRetention(contract.retention, 'lost', now) : contract.retention;
  return { contract: { ...contract, status: final, endedAt: now, termination: null, retention }, versions };
}

// ---- retention before termination ----------------------------------------------------------------

const isRetentionOpen = (r: RetentionCase) => r.status === 'open' || r.status === 'awaiting_approval';

function decideRetention(r: RetentionCase | null, status: 'retained' | 'lost', now: number): RetentionCase | null {
  return r && { ...r, status, decidedAt: now };
}

/** The customer asks to leave: a retention step opens; nothing is scheduled yet. */
export function requestTermination(c: ContractProcess, actor: Actor, reason: string, now: number): ContractProcess {
  const number = (c.retention?.case ?? 0) + 1;
  return { ...c, retention: { case: number, status: 'open', requestedAt: now, requestedBy: actor.id, reason, offer: null, decidedAt: null } };
}

/** Records (or replaces) the offer put to the customer. */
export function offerRetention(c: ContractProcess, offer: RetentionOffer): ContractProcess {
  return { ...c, retention: { ...c.retention!, offer } };
}

/** The threshold (percent) up to which this contract grants a retention discount without approval. */
export const DEFAULT_RETENTION_DISCOUNT_WITHOUT_APPROVAL = 10;
const retentionThreshold = (c: ContractProcess) => c.policy?.retentionDiscountWithoutApproval ?? DEFAULT_RETENTION_DISCOUNT_WITHOUT_APPROVAL;

/**
 * The customer accepts the offer and stays. Its terms come into force as an amendment at once, or, for a
 * discount above the contract's threshold, go through the approval chain the amended terms call for (the
 * customer is retained once the last step approves). An offer that changes no terms retains at once.
 */
export function acceptRetention(c: ContractProcess, type: ContractType, clock: ContractClock, actor: Actor, now: number): ContractChange {
  const r = c.retention!;
  const offer = r.offer!;
  const extendedTo = offer.months === null ? null : clock.monthsAfter(c.terms.validTo, offer.months);
  const amended = retentionTerms(type, c.terms, offer, extendedTo, now);
  const reason = `retention case ${r.case}: ${describeOffer(offer)}`;
  if (amended === null) return { contract: { ...c, retention: decideRetention(r, 'retained', now) } };
  const next = c.latestVersion + 1;
  const numbered = { ...c, latestVersion: next };
  if (retentionNeedsApproval(offer, retentionThreshold(c))) {
    const round = openRound(numbered, 'amendment', amended, next, reason, actor);
    return {
      contract: { ...round, approval: { ...round.approval!, retention: true }, retention: { ...r, status: 'awaiting_approval' } },
      versions: [versionRecord(next, 'amendment', 'pending_approval', amended, actor, reason, now)],
    };
  }
  return bringIntoForce({ ...numbered, retention: decideRetention(r, 'retained', now) }, amended, next, 'amendment', actor, reason, now);
}

/** The customer declines: the contract terminates `noticeDays` contract days after the request. */
export function declineRetention(c: ContractProcess, clock: ContractClock, now: number): ContractProcess {
  const r = c.retention!;
  const at = r.requestedAt + clock.days(c.terms.noticeDays);
  return { ...c, retention: decideRetention(r, 'lost', now), termination: { at, reason: `termination requested: ${r.reason}` } };
}

export function describeOffer(offer: RetentionOffer): string {
  const parts = [
    offer.discountPercent === null ? null : `${offer.discountPercent} % off`,
    offer.months === null ? null : `term extended by ${offer.months} months`,
    offer.alternative,
  ];
  return parts.filter((p) => p !== null).join('; ');
}

/**
 * A new term of `months`: valid-to moves on, the extended terms come into force as a renewal version
 * (after withdrawing an amendment still pending), and the next term gets its own notice.
 */
export function renewContract(c: ContractProcess, months: number, clock: ContractClock, actor: Actor, now: number): ContractChange {
  const withdrawn = withdrawAmendment(c, now);
  const term = c.term + 1;
  const extended = { ...c.terms, validTo: clock.monthsAfter(c.terms.validTo, months) };
  const renewed = bringIntoForce({ ...withdrawn.contract, term, renewed: true, noticeSent: false }, extended, c.latestVersion + 1, 'renewal', actor, `term ${term}: ${months} months`, now);
  return { contract: renewed.contract, versions: [...withdrawn.versions!, ...renewed.versions!] };
}

export function billedPeriod(c: ContractProcess): ContractProcess {
  return { ...c, billedPeriods: c.billedPeriods + 1 };
}

export function noticeSent(c: ContractProcess): ContractProcess {
  return { ...c, noticeSent: true };
}

export function fullyConsumed(c: ContractProcess): ContractProcess {
  return { ...c, consumed: true };
}

// ---- clocks --------------------------------------------------------------------------------------

/** The start of billing period `k` (0-based), or null for a contract without billing. */
function periodStart(c: ContractProcess, clock: ContractClock, k: number): number | null {
  return c.terms.billing ? clock.monthsAfter(c.terms.validFrom, k * BILLING_MONTHS[c.terms.billing.frequency]) : null;
}

/** When the next billing period starts, while the contract runs and the period lies within its validity. */
export function nextBillingAt(c: ContractProcess, clock: ContractClock): number | null {
  const at = periodStart(c, clock, c.billedPeriods);
  return at !== null && at < c.terms.validTo && (c.status === 'active' || c.status === 'signed') ? at : null;
}

/** When the owner is reminded that the term ends: `noticeDays` before valid-to, or null without a notice period. */
export function noticeFrom(terms: ContractTerms, clock: ContractClock): number | null {
  return terms.noticeDays > 0 ? terms.validTo - clock.days(terms.noticeDays) : null;
}

export type ContractDeadline =
  | { kind: 'complete'; at: number }
  | { kind: 'terminate'; at: number; reason: string }
  | { kind: 'activate'; at: number }
  | { kind: 'bill'; at: number }
  | { kind: 'notice'; at: number }
  | { kind: 'end-of-term'; at: number };

/** What the contract's clock does next and when (the earliest; on a tie, the first listed here). */
export function nextContractDeadline(c: ContractProcess, clock: ContractClock, now: number): ContractDeadline | null {
  const candidates: ContractDeadline[] = [];
  if (c.consumed && c.status === 'active') candidates.push({ kind: 'complete', at: now });
  if (c.termination) candidates.push({ kind: 'terminate', at: c.termination.at, reason: c.termination.reason });
  if (c.status === 'signed') candidates.push({ kind: 'activate', at: c.terms.validFrom });
  if (c.status === 'active') {
    const billingAt = nextBillingAt(c, clock);
    if (billingAt !== null) candidates.push({ kind: 'bill', at: billingAt });
    const notice = noticeFrom(c.terms, clock);
    if (!c.noticeSent && notice !== null) candidates.push({ kind: 'notice', at: notice });
  }
  if (c.status === 'active' || c.status === 'signed' || c.status === 'approved') candidates.push({ kind: 'end-of-term', at: c.terms.validTo });
  return candidates.sort((a, b) => a.at - b.at)[0] ?? null;
}

// ---- what the contract shows -----------------------------------------------------------------------

const iso = (ms: number) => new Date(ms).toISOString();

export const contractFacts = (c: ContractProcess): ContractFacts => ({
  state: c.status, approval: c.approval, fourEyes: keepsFourEyes(c),
  retention: c.retention?.status ?? null, retentionOffered: c.retention?.offer != null, terminationScheduled: c.termination !== null,
});

function retentionView(r: RetentionCase | null): RetentionView | null {
  return r && { ...r, requestedAt: iso(r.requestedAt), decidedAt: r.decidedAt === null ? null : iso(r.decidedAt) };
}

export function contractView(c: ContractProcess, input: ContractInput, clock: ContractClock, actor?: Actor): ContractView {
  const { terms, approval } = c;
  const billingAt = nextBillingAt(c, clock);
  return {
    id: input.number, status: c.status, type: input.type, customerId: input.customerId, version: c.version, term: c.term,
    validFrom: iso(terms.validFrom), validTo: iso(terms.validTo), targetValue: fromCents(terms.targetValueCents),
    targetQuantities: terms.targetQuantities?.map((t) => ({ sku: t.sku, qty: t.qty, unitPrice: fromCents(t.unitPriceCents) })) ?? null,
    prices: terms.prices.map((p) => ({ sku: p.sku, unitPrice: fromCents(p.unitPriceCents) })),
    paymentTerms: terms.paymentTerms, billing: terms.billing ? { frequency: terms.billing.frequency, amount: fromCents(terms.billing.amountCents) } : null,
    autoRenew: terms.autoRenew, renewalMonths: terms.renewalMonths, noticeDays: terms.noticeDays, terms: terms.terms,
    approval: approval ? { round: approval.round, kind: approval.kind, chain: approval.chain, step: approval.step, awaiting: approval.chain[approval.step]! } : null,
    pendingAmendment: approval?.amended
      ? { version: approval.version, targetValue: fromCents(approval.amended.targetValueCents), validTo: iso(approval.amended.validTo), reason: approval.reason }
      : null,
    lastRejection: c.lastRejection, terminationAt: c.termination ? iso(c.termination.at) : null, nextBillingAt: billingAt === null ? null : iso(billingAt),
    retention: retentionView(c.retention),
    allowedActions: actor ? contractActions(contractFacts(c), actor) : [],
  };
}

export function contractRecord(c: ContractProcess, input: ContractInput, workflowId: string): ContractRecord {
  const { terms, approval } = c;
  return {
    id: input.number, workflowId, customerId: input.customerId, type: input.type, status: c.status, version: c.version, term: c.term, terms,
    particulars: input.particulars, awaiting: approval ? approval.chain[approval.step]! : null,
    approval: approval ? { chain: approval.chain, step: approval.step, conflicted: approval.conflicted ?? [] } : null, fourEyes: keepsFourEyes(c),
    noticeFrom: noticeFrom(terms, contractClock(input.dayMs)), retention: c.retention,
    createdBy: input.actor.id, createdAt: c.createdAt,
    signedAt: c.signedAt, activatedAt: c.activatedAt, endedAt: c.endedAt,
  };
}

export function contractSearchAttributes(c: ContractProcess, input: ContractInput): SearchAttributeUpdatePair[] {
  return [
    { key: CrmKind, value: 'contract' },
    { key: CrmStatus, value: c.status },
    { key: CrmCustomerId, value: input.customerId },
    { key: CrmAmount, value: amountAttribute(c.terms.targetValueCents) },
    { key: CrmDueAt, value: new Date(c.terms.validTo) },
  ];
}

/** The current details managers read in the Temporal UI. */
export function contractDetails(c: ContractProcess): string {
  const { approval, termination, terms } = c;
  const waiting = approval ? ` · ${approval.kind} awaits ${approval.chain[approval.step]} (step ${approval.step + 1}/${approval.chain.length})` : '';
  const ending = termination ? ` · terminates ${iso(termination.at)}` : '';
  return `**${c.status}** · v${c.version} · term ${c.term} · value ${fromCents(terms.targetValueCents)} · valid to ${iso(terms.validTo)}${waiting}${ending}`;
}
