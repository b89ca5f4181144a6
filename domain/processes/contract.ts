import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApprovalThresholds, ApproverRole } from '../approvals';
import {
  CONTRACT_ACTION_NAMES,
  type AmendmentChanges, type BillingFrequency, type RetentionCase, type RetentionOffer, type FourEyesParty, type ContractAction, type ContractParticulars, type ContractState, type ContractTerms, type ContractType,
} from '../contracts';
import type { Actor } from '../roles';
import { defineActionUpdates } from './common';

// The contract's messages and shapes: the one module the workflow, its activities and the API all
// import. Update, signal and query names are part of every running contract's history and must not change.

export const CONTRACT_WORKFLOW = 'contractWorkflow';
export type ContractWorkflow = (input: ContractInput) => Promise<ContractView>;

export interface ContractInput {
  number: string;
  customerId: string;
  type: ContractType;
  terms: ContractTerms;
  particulars: ContractParticulars;
  /** Who drafted it: the owner, reminded before the term ends. */
  actor: Actor;
  /** The contract day length (config.contracts.dayMs, see domain/contract-time.ts), fixed for the contract's life. */
  dayMs: number;
  /** The business time zone (config.business.timeZone) its dates are read in, fixed for its life; contracts opened before it lack it (UTC). */
  timeZone?: string;
  /** Present when a renewal continued the contract as a new run: everything the next term needs. */
  carried?: ContractCarry;
}

export interface OpenApproval {
  round: number;
  kind: 'contract' | 'amendment';
  chain: ApproverRole[];
  step: number;
  /** The version being approved: v1 for the contract, the amended version for an amendment. */
  version: number;
  /** Amendments only: the terms that come into force once the last step approves. */
  amended: ContractTerms | null;
  reason: string | null;
  /**
   * Who may not approve this round (four eyes): the contract's drafter and its submitter, or the
   * amendment's proposer. Rounds opened before this was kept lack it.
   */
  conflicted?: FourEyesParty[];
  /** The amendment is an accepted retention offer: approving it retains the customer, rejecting it reopens the retention step. */
  retention?: boolean;
}

/** The settings a contract starts with and keeps, across renewals too. */
export interface ContractPolicy {
  thresholds: ApprovalThresholds;
  /** Days to pay a billing invoice when the contract's payment terms name none. */
  invoiceDueDays: number;
  /** The setting fourEyes.contractApproval when the contract opened; contracts opened before it lack it (on). */
  fourEyes?: boolean;
  /** contract.retentionDiscountWithoutApproval when the contract opened; contracts opened before it lack it (the default applies). */
  retentionDiscountWithoutApproval?: number;
}

export interface ContractCarry {
  status: ContractState;
  version: number;
  latestVersion: number;
  term: number;
  seq: number;
  round: number;
  policy: ContractPolicy;
  createdAt: number;
  signedAt: number | null;
  activatedAt: number | null;
  billedPeriods: number;
  termination: { at: number; reason: string } | null;
  approval: OpenApproval | null;
  lastRejection: ContractView['lastRejection'];
  // Optional: carries written before they travelled lack them (read as false).
  noticeSent?: boolean;
  consumed?: boolean;
  /** Who drafted the contract (the first run's input actor); carries written before it travelled lack it. */
  draftedBy?: string | null;
  /** The latest retention case; carries written before retention existed lack it. */
  retention?: RetentionCase | null;
}

export interface ContractView {
  id: string;
  status: ContractState;
  type: ContractType;
  customerId: string;
  version: number;
  term: number;
  validFrom: string;
  validTo: string;
  targetValue: string;
  targetQuantities: Array<{ sku: string; qty: number; unitPrice: string }> | null;
  prices: Array<{ sku: string; unitPrice: string }>;
  paymentTerms: string | null;
  billing: { frequency: BillingFrequency; amount: string } | null;
  autoRenew: boolean;
  renewalMonths: number;
  noticeDays: number;
  terms: string | null;
  approval: { round: number; kind: 'contract' | 'amendment'; chain: ApproverRole[]; step: number; awaiting: ApproverRole } | null;
  pendingAmendment: { version: number; targetValue: string; validTo: string; reason: string | null } | null;
  lastRejection: { role: string; actorId: string; comment: string } | null;
  terminationAt: string | null;
  nextBillingAt: string | null;
  retention: RetentionView | null;
  allowedActions: ContractAction[];
}

export interface RetentionView {
  case: number;
  status: RetentionCase['status'];
  requestedAt: string;
  requestedBy: string;
  reason: string;
  offer: { discountPercent: number | null; months: number | null; alternative: string | null } | null;
  decidedAt: string | null;
}

export interface AmendArgs {
  changes: AmendmentChanges;
  reason: string;
}

/** What each human action carries besides its actor (the API turns money and dates into cents and instants). */
export interface ContractActionArgs extends Record<ContractAction, object> {
  submit: object;
  approve: { comment?: string };
  reject: { comment: string };
  sign: { signedAt?: string };
  amend: AmendArgs;
  terminate: { reason: string; effectiveDate: string };
  renew: { months?: number };
  'termination-request': { reason: string };
  'retention-offer': RetentionOffer;
  'retention-accept': { note?: string };
  'retention-decline': { note?: string };
}

// Human decisions are Updates: the validator refuses early (409/403/422), the handler returns the new state.
export const contractUpdates = defineActionUpdates<ContractView, ContractActionArgs>(CONTRACT_ACTION_NAMES);

/** Answers once the draft is recorded; used with update-with-start so POST /contracts returns it. */
export const contractOpened = defineUpdate<ContractView>('opened');
export const contractState = defineQuery<ContractView, [Actor?]>('state');
/** From confirmCallOff: consumption has reached the target. */
export const contractConsumed = defineSignal('consumed');

/** The contract row as the workflow sees it after a transition (timestamps in epoch ms). */
export interface ContractRecord {
  id: string;
  workflowId: string;
  customerId: string;
  type: ContractType;
  status: ContractState;
  version: number;
  term: number;
  terms: ContractTerms;
  particulars: ContractParticulars;
  awaiting: string | null;
  /**
   * The open approval round's chain, the step that acts next and who may not approve it (the rules' facts,
   * domain/tasks.ts), or null.
   */
  approval: { chain: ApproverRole[]; step: number; conflicted: FourEyesParty[] } | null;
  /** Whether the four-eyes rule holds on this contract's approvals (see ContractPolicy.fourEyes). */
  fourEyes: boolean;
  /** When the notice period of the term in force begins (validTo − noticeDays contract days), or null without one. */
  noticeFrom: number | null;
  /** The latest termination request and its retention step, or null when there never was one. */
  retention: RetentionCase | null;
  createdBy: string;
  createdAt: number;
  signedAt: number | null;
  activatedAt: number | null;
  endedAt: number | null;
}

export interface ContractEventRecord {
  seq: number;
  action: string;
  actorId: string;
  fromStatus: ContractState | null;
  toStatus: ContractState;
  note: string | null;
  at: number;
}

export interface ContractVersionRecord {
  version: number;
  kind: 'draft' | 'amendment' | 'renewal';
  status: 'pending_approval' | 'in_force' | 'rejected' | 'withdrawn' | 'superseded';
  reason: string | null;
  terms: ContractTerms;
  createdBy: string;
  createdAt: number;
  decidedAt: number | null;
}

export interface ApprovalDecisionRecord {
  round: number;
  step: number;
  version: number;
  role: string;
  decision: 'approved' | 'rejected';
  actorId: string;
  comment: string | null;
  at: number;
  /** Set when the approver is one the four-eyes rule would have refused, the rule being relaxed: it goes to the audit log. */
  fourEyesOverride?: FourEyesParty | null;
}
