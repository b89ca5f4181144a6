import type { ApproverRole } from './approvals';
import { applyPercentOff, compareDecimal, fromCents, groupedAmount, mulCents, sumCents } from './money';
import type { Actor, Role } from './roles';
import { processRules, refusalFor, type ActionRules, type Objection } from './state-machine';
import type { Category } from './tickets';

// SPEC §6: the contract's states and the human actions between them.
export const CONTRACT_STATES = ['draft', 'pending_approval', 'approved', 'signed', 'active', 'expired', 'terminated', 'completed'] as const;
export type ContractState = (typeof CONTRACT_STATES)[number];
export const FINAL_CONTRACT_STATES: readonly ContractState[] = ['expired', 'terminated', 'completed'];

export const CONTRACT_TYPES = ['value', 'quantity'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];
export const BILLING_FREQUENCIES = ['monthly', 'quarterly'] as const;
export type BillingFrequency = (typeof BILLING_FREQUENCIES)[number];
export const BILLING_MONTHS: Record<BillingFrequency, number> = { monthly: 1, quarterly: 3 };

const APPROVERS: ApproverRole[] = ['sales_manager', 'finance', 'legal'];
export const CONTRACT_CREATORS: readonly Role[] = ['agent', 'sales_manager', 'contract_admin'];
/** Who takes a customer's wish to leave and works the retention step (the front line, and contract admins). */
const RETENTION_ROLES: readonly Role[] = ['agent', 'contract_admin'];

// approve/reject are admitted in `active` too: an amendment that raises the value is approved while the
// contract keeps running under its current version (see ContractFacts.approvalOpen).
export const CONTRACT_ACTIONS = {
  submit: { from: ['draft'], roles: CONTRACT_CREATORS },
  approve: { from: ['pending_approval', 'active'], roles: APPROVERS },
  reject: { from: ['pending_approval', 'active'], roles: APPROVERS },
  sign: { from: ['approved'], roles: ['contract_admin'] },
  amend: { from: ['active'], roles: ['contract_admin'] },
  terminate: { from: ['approved', 'signed', 'active'], roles: ['contract_admin'] },
  renew: { from: ['active'], roles: ['contract_admin'] },
  // Retention before termination (issue 17): the customer asks to leave, is offered something to stay, and
  // accepts (an amendment) or declines (termination after the notice period, counted from the request).
  'termination-request': { from: ['active'], roles: RETENTION_ROLES },
  'retention-offer': { from: ['active'], roles: RETENTION_ROLES },
  'retention-accept': { from: ['active'], roles: RETENTION_ROLES },
  'retention-decline': { from: ['active'], roles: RETENTION_ROLES },
} as const satisfies ActionRules<ContractState, string>;
export type ContractAction = keyof typeof CONTRACT_ACTIONS;
export const CONTRACT_ACTION_NAMES = Object.keys(CONTRACT_ACTIONS) as ContractAction[];

// ---- retention ---------------------------------------------------------------------------------

export const RETENTION_STATUSES = ['open', 'awaiting_approval', 'retained', 'lost'] as const;
export type RetentionStatus = (typeof RETENTION_STATUSES)[number];

/** What the customer is offered to stay: a discount on the contract's prices and fee, a longer term, or something else in words. */
export interface RetentionOffer {
  /** Percent off every contract price and the billing fee, e.g. 15 or 12.5. */
  discountPercent: number | null;
  /** Months the term is extended by (the customer commits to stay longer at the new prices). */
  months: number | null;
  /** A free-text alternative (an upgrade, a free month of support…), recorded as offered. */
  alternative: string | null;
}

/** One termination request and its retention step. */
export interface RetentionCase {
  /** 1 for the contract's first request, counting up. */
  case: number;
  status: RetentionStatus;
  requestedAt: number;
  requestedBy: string;
  reason: string;
  offer: RetentionOffer | null;
  decidedAt: number | null;
}

/** Whether accepting the offer needs the approval chain: a discount above the contract's threshold (percent) does. */
export function retentionNeedsApproval(offer: RetentionOffer, thresholdPercent: number): boolean {
  return offer.discountPercent !== null && compareDecimal(offer.discountPercent, thresholdPercent) > 0;
}

/**
 * The terms after an accepted offer, or null when it changes no terms (a free-text alternative only):
 * each contract price and the billing fee lose the discount, rounded half up to cents; a quantity
 * contract's targets follow their new prices (amendTerms); the term is extended to `extendedTo`.
 */
export function retentionTerms(type: ContractType, current: ContractTerms, offer: RetentionOffer, extendedTo: number | null, now: number): ContractTerms | null {
  const discount = offer.discountPercent;
  if (discount === null && extendedTo === null) return null;
  const changes: AmendmentChanges = {
    ...(discount === null ? {} : { prices: current.prices.map((p) => ({ sku: p.sku, unitPriceCents: applyPercentOff(p.unitPriceCents, discount) })) }),
    ...(extendedTo === null ? {} : { validTo: extendedTo }),
  };
  const amended = amendTerms(type, current, changes, now);
  if (typeof amended === 'string') throw new RangeError(amended);
  const billing = current.billing && discount !== null ? { ...current.billing, amountCents: applyPercentOff(current.billing.amountCents, discount) } : current.billing;
  return { ...amended, billing };
}

export interface QuantityTarget {
  sku: string;
  qty: number;
  /** The unit price the target was valued at: the contract price, else the list price when drafted. */
  unitPriceCents: number;
}

export interface ContractPrice {
  sku: string;
  unitPriceCents: number;
}

/** A version of the contract's commercial terms; an amendment or renewal makes the next one. */
export interface ContractTerms {
  validFrom: number;
  validTo: number;
  /** Value contracts: the target. Quantity contracts: Σ qty × unit price, the figure approvals judge. */
  targetValueCents: number;
  targetQuantities: QuantityTarget[] | null;
  prices: ContractPrice[];
  paymentTerms: string | null;
  billing: { frequency: BillingFrequency; amountCents: number } | null;
  autoRenew: boolean;
  renewalMonths: number;
  noticeDays: number;
  terms: string | null;
}

/** Reference fields that travel with the contract unchanged across versions. */
export interface ContractParticulars {
  externalRef: string | null;
  poDate: string | null;
  salesOrg: string | null;
  channel: string | null;
  division: string | null;
  sla: { responseMultiplier?: number; resolutionMultiplier?: number } | null;
  /**
   * The complaint categories a service contract (one with an SLA) covers; absent or null: every category.
   * Entitlement checks read it (domain/entitlement.ts).
   */
  coveredCategories?: Category[] | null;
}

export interface AmendmentChanges {
  targetValueCents?: number;
  validTo?: number;
  prices?: ContractPrice[];
  terms?: string;
}

export function quantityValueCents(targets: readonly QuantityTarget[]): number {
  return sumCents(...targets.map((t) => mulCents(t.unitPriceCents, t.qty)));
}

/**
 * The terms after an amendment. New prices replace the price list; a quantity contract's targets take
 * the new price of their sku, so its value follows. Refuses what cannot apply (as a message).
 */
export function amendTerms(type: ContractType, current: ContractTerms, changes: AmendmentChanges, now: number): ContractTerms | string {
  if (type === 'quantity' && changes.targetValueCents !== undefined) return 'a quantity contract has target quantities, not a target value';
  const validTo = changes.validTo ?? current.validTo;
  if (validTo <= Math.max(now, current.validFrom)) return 'validTo must lie in the future and after validFrom';
  const prices = changes.prices ?? current.prices;
  const targetQuantities = current.targetQuantities?.map((t) => ({ ...t, unitPriceCents: prices.find((p) => p.sku === t.sku)?.unitPriceCents ?? t.unitPriceCents })) ?? null;
  return {
    ...current,
    validTo,
    prices,
    targetQuantities,
    terms: changes.terms ?? current.terms,
    targetValueCents: targetQuantities ? quantityValueCents(targetQuantities) : changes.targetValueCents ?? current.targetValueCents,
  };
}

/** One field a version changed from the version before it, in the API's words (money "123.00", instants ISO). */
export interface TermChange {
  field: string;
  /** null: the field (a sku's price or target) was not there before, or was empty. */
  from: string | null;
  /** null: the field was dropped. */
  to: string | null;
}

const instant = (ms: number) => new Date(ms).toISOString();
const money = (cents: number | undefined) => (cents === undefined ? null : fromCents(cents));

/** Per-sku entries as `field sku` changes: added, dropped or re-valued. */
function bySku<T extends { sku: string }>(field: string, before: readonly T[], after: readonly T[], value: (entry: T | undefined) => string | null): TermChange[] {
  const skus = [...new Set([...before, ...after].map((entry) => entry.sku))].sort();
  return skus.flatMap((sku) => {
    const from = value(before.find((entry) => entry.sku === sku));
    const to = value(after.find((entry) => entry.sku === sku));
    return from === to ? [] : [{ field: `${field} ${sku}`, from, to }];
  });
}

/**
 * What `next` changed from `previous` (an amendment or a renewal against the version before it): the
 * console's diff of a contract's versions. Fields in a fixed order, each sku's price and target quantity
 * on its own line, so a reader sees exactly which figures moved.
 */
export function termChanges(previous: ContractTerms, next: ContractTerms): TermChange[] {
  const billing = (t: ContractTerms) => (t.billing ? `${t.billing.frequency} ${fromCents(t.billing.amountCents)}` : null);
  const scalar: Array<[string, string | null, string | null]> = [
    ['targetValue', fromCents(previous.targetValueCents), fromCents(next.targetValueCents)],
    ['validFrom', instant(previous.validFrom), instant(next.validFrom)],
    ['validTo', instant(previous.validTo), instant(next.validTo)],
    ['paymentTerms', previous.paymentTerms, next.paymentTerms],
    ['billing', billing(previous), billing(next)],
    ['autoRenew', String(previous.autoRenew), String(next.autoRenew)],
    ['renewalMonths', String(previous.renewalMonths), String(next.renewalMonths)],
    ['noticeDays', String(previous.noticeDays), String(next.noticeDays)],
    ['terms', previous.terms, next.terms],
  ];
  return [
    ...scalar.flatMap(([field, from, to]) => (from === to ? [] : [{ field, from, to }])),
    ...bySku('price', previous.prices, next.prices, (p) => money(p?.unitPriceCents)),
    ...bySku('targetQuantity', previous.targetQuantities ?? [], next.targetQuantities ?? [], (t) => (t ? String(t.qty) : null)),
  ];
}

/** What the rules need to know of a contract beyond its state. */
export interface ContractFacts {
  state: ContractState;
  /** The open approval round's chain, the step that acts next and who may not approve it, or null. */
  approval: { chain: readonly ApproverRole[]; step: number; conflicted?: readonly FourEyesParty[] } | null;
  /** The four-eyes rule on approvals holds for this contract (fourEyes.contractApproval when it opened). */
  fourEyes?: boolean;
  /** Where the latest retention case stands (absent or null: none was ever opened). */
  retention?: RetentionStatus | null;
  /** Whether the case has an offer the customer can accept. */
  retentionOffered?: boolean;
  /** A termination is scheduled (declined retention, or a dated terminate). */
  terminationScheduled?: boolean;
}

/** Someone who took part in a contract or amendment, and how; they may not approve it (four eyes). */
export interface FourEyesParty {
  actorId: string;
  as: 'drafted' | 'submitted' | 'proposed';
}

/** How `actorId` took part in the round awaiting approval, or null when they are free to approve it. */
export function fourEyesConflict(approval: { kind?: string; conflicted?: readonly FourEyesParty[] } | null, actorId: string): FourEyesParty | null {
  return approval?.conflicted?.find((party) => party.actorId === actorId) ?? null;
}

const PARTICIPATION: Record<FourEyesParty['as'], string> = { drafted: 'drafted this contract', submitted: 'submitted this contract', proposed: 'proposed this amendment' };

/**
 * The table admits or refuses by state and role; these are the contract's own rules on top: only the
 * approver of the open round's current step decides it, and a contract with an amendment awaiting
 * approval is neither amended nor renewed until that is decided.
 */
function check(c: ContractFacts, action: ContractAction, actor: Actor): Objection {
  const base = refusalFor(CONTRACT_ACTIONS, c.state, action, actor);
  if (base) return base;
  if (action === 'approve' || action === 'reject') {
    const objection = approvalObjection(c.approval, actor);
    if (objection || action === 'reject' || c.fourEyes === false) return objection;
    const party = fourEyesConflict(c.approval, actor.id);
    if (party) return { kind: 'forbidden', message: `four eyes: you ${PARTICIPATION[party.as]}, so another ${c.approval!.chain[c.approval!.step]} approves it (setting fourEyes.contractApproval)` };
  }
  if ((action === 'amend' || action === 'renew') && c.approval) {
    return { kind: 'invalid_state', message: `an amendment awaits ${c.approval.chain[c.approval.step]}; decide it first` };
  }
  return retentionObjection(c, action);
}

const RETENTION_STEP: readonly ContractAction[] = ['retention-offer', 'retention-accept', 'retention-decline'];

function retentionObjection(c: ContractFacts, action: ContractAction): Objection {
  const open = c.retention === 'open';
  if (action === 'termination-request') {
    if (open || c.retention === 'awaiting_approval') return { kind: 'invalid_state', message: 'a termination request is already in its retention step' };
    if (c.terminationScheduled) return { kind: 'invalid_state', message: 'a termination is already scheduled' };
    return null;
  }
  if (!RETENTION_STEP.includes(action)) return null;
  if (c.retention === 'awaiting_approval') return { kind: 'invalid_state', message: 'the accepted retention offer awaits approval' };
  if (!open) return { kind: 'invalid_state', message: 'no termination request is open; POST termination-request first' };
  if (action !== 'retention-accept') return null;
  if (!c.retentionOffered) return { kind: 'invalid_state', message: 'no retention offer is recorded; POST retention-offer first' };
  // The offer becomes an amendment: one awaiting approval already is decided first.
  if (c.approval) return { kind: 'invalid_state', message: `an amendment awaits ${c.approval.chain[c.approval.step]}; decide it first` };
  return null;
}

function approvalObjection(approval: ContractFacts['approval'], actor: Actor): Objection {
  if (!approval) return { kind: 'invalid_state', message: 'no amendment awaits approval' };
  const { chain, step } = approval;
  const awaiting = chain[step]!;
  if (actor.roles.includes(awaiting)) return null;
  const mine = chain.filter((role) => actor.roles.includes(role));
  if (mine.length === 0) return { kind: 'forbidden', message: `${actor.roles.join(', ')} is not part of this approval chain (${chain.join(' → ')}); it awaits ${awaiting}` };
  // A step already decided is a conflict with the process's state (two sales managers approving at
  // once: one wins, the other learns it is done), not a matter of permission; a step still ahead is.
  const decided = mine.filter((role) => chain.indexOf(role) < step);
  if (decided.length === mine.length) {
    return { kind: 'invalid_state', message: `${decided.join(', ')} already decided step ${chain.indexOf(decided[0]!) + 1} of ${chain.length}; it now awaits ${awaiting}` };
  }
  return { kind: 'forbidden', message: `step ${step + 1} of ${chain.length} awaits ${awaiting}; ${mine.join(', ')} acts in turn (${chain.join(' → ')})` };
}

const rules = processRules(CONTRACT_ACTION_NAMES, check);

/** The actions this actor can take on this contract now. */
export const contractActions = rules.allowed;
export const contractRefusal = rules.refusal;

/** The static summary managers read in the Temporal UI, e.g. `Contract C-2026-000007 · value 250 000.00 · CUS-000001`. */
export function contractSummary(c: { number: string; type: ContractType; targetValueCents: number; customerId: string }): string {
  return `Contract ${c.number} · ${c.type} ${groupedAmount(c.targetValueCents)} · ${c.customerId}`;
}

export interface ContractDraft extends Omit<ContractTerms, 'targetValueCents' | 'targetQuantities'> {
  type: ContractType;
  targetValueCents: number | null;
  targetQuantities: Array<{ sku: string; qty: number }> | null;
}

export interface FieldError {
  path: string;
  message: string;
}

/**
 * The first version's terms from a draft, or what is wrong with it. A quantity contract is valued at
 * its contract prices, else at today's list prices, and keeps those unit prices for its call-offs.
 */
export function draftTerms(draft: ContractDraft, listPriceCents: (sku: string) => number | null): ContractTerms | FieldError[] {
  const errors: FieldError[] = [];
  if (draft.validTo <= draft.validFrom) errors.push({ path: '/validTo', message: 'must be after validFrom' });
  if (draft.type === 'value' && draft.targetValueCents === null) errors.push({ path: '/targetValue', message: 'a value contract needs a target value' });
  if (draft.type === 'value' && draft.targetQuantities) errors.push({ path: '/targetQuantities', message: 'a value contract has no target quantities' });
  if (draft.type === 'quantity' && !draft.targetQuantities) errors.push({ path: '/targetQuantities', message: 'a quantity contract needs target quantities' });
  if (draft.type === 'quantity' && draft.targetValueCents !== null) errors.push({ path: '/targetValue', message: 'a quantity contract is valued from its quantities' });
  // Each unknown product where it is named, so a form can mark the very line.
  const named = [
    ...draft.prices.map((p, i) => ({ sku: p.sku, path: `/prices/${i}/sku` })),
    ...(draft.targetQuantities ?? []).map((t, i) => ({ sku: t.sku, path: `/targetQuantities/${i}/sku` })),
  ];
  for (const { sku, path } of named) if (listPriceCents(sku) === null) errors.push({ path, message: `unknown product ${sku}` });
  if (new Set(draft.prices.map((p) => p.sku)).size !== draft.prices.length) errors.push({ path: '/prices', message: 'one price per sku' });
  const quantities = draft.targetQuantities ?? [];
  if (new Set(quantities.map((q) => q.sku)).size !== quantities.length) errors.push({ path: '/targetQuantities', message: 'one target per sku' });
  if (errors.length > 0) return errors;
  const targetQuantities = draft.targetQuantities?.map((t) => ({
    ...t, unitPriceCents: draft.prices.find((p) => p.sku === t.sku)?.unitPriceCents ?? listPriceCents(t.sku)!,
  })) ?? null;
  const { type: _type, ...rest } = draft;
  return { ...rest, targetQuantities, targetValueCents: targetQuantities ? quantityValueCents(targetQuantities) : draft.targetValueCents! };
}
