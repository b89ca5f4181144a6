import { toCents } from './money';

// SPEC §6: who must approve a contract (or an amendment that raises its value), in the order they act.
// Thresholds are inputs because settings hold them and a running contract keeps the values it started with.

export type ApproverRole = 'sales_manager' | 'finance' | 'legal';

export interface ApprovalThresholds {
  /** finance approves from this total, inclusive. */
  financeFromCents: number;
  /** legal approves from this total, inclusive. */
  legalFromCents: number;
  /** payment terms longer than this many days are non-standard and go to legal. */
  standardPaymentDays: number;
}

export interface ApprovalInput {
  totalCents: number;
  paymentTermsDays?: number | null;
  /** the contract carries terms text of its own rather than the standard terms. */
  hasCustomTerms: boolean;
}

export const DEFAULT_APPROVAL_THRESHOLDS: ApprovalThresholds = Object.freeze({
  financeFromCents: toCents('100000.00'),
  legalFromCents: toCents('500000.00'),
  standardPaymentDays: 60,
});

export function approvalChain(input: ApprovalInput, t: ApprovalThresholds = DEFAULT_APPROVAL_THRESHOLDS): ApproverRole[] {
  assertCents(input.totalCents);
  const chain: ApproverRole[] = ['sales_manager'];
  if (input.totalCents >= t.financeFromCents) chain.push('finance');
  if (needsLegal(input, t)) chain.push('legal');
  return chain;
}

function needsLegal(input: ApprovalInput, t: ApprovalThresholds): boolean {
  const longTerms = input.paymentTermsDays != null && input.paymentTermsDays > t.standardPaymentDays;
  return input.totalCents >= t.legalFromCents || input.hasCustomTerms || longTerms;
}

/** Whether a contract's terms text departs from the standard terms: any text that is not blank. */
export function hasCustomTerms(terms: string | null | undefined): boolean {
  return hasText(terms);
}

function hasText(text: string | null | undefined): boolean {
  return typeof text === 'string' && text.trim() !== '';
}

const IMMEDIATE = /^(immediate(ly)?|due on receipt|prepaid|cod|cash on delivery)$/;
const NET_DAYS = /^(?:net[\s-]*)?(\d{1,4})(?:\s*(?:days?|d))?(?:\s+net)?$/;

/**
 * Days of credit in a contract's free-text payment terms: "net30", "Net 90", "NET-45", "30 days",
 * "30 days net", "30" give their number; "immediate", "due on receipt", "prepaid", "cod" give 0.
 * Anything else gives null: the text is not understood, and contractApprovalChain treats it as non-standard.
 */
export function parsePaymentTermsDays(text: string | null | undefined): number | null {
  if (typeof text !== 'string') return null;
  const normalized = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (IMMEDIATE.test(normalized)) return 0;
  const match = NET_DAYS.exec(normalized);
  return match ? Number(match[1]) : null;
}

/**
 * The chain for a contract as entered: terms text makes it custom, and payment terms that cannot be read
 * count as non-standard too, since only legal can judge what they commit the company to.
 */
export function contractApprovalChain(
  contract: { totalCents: number; paymentTerms?: string | null; terms?: string | null },
  t: ApprovalThresholds = DEFAULT_APPROVAL_THRESHOLDS,
): ApproverRole[] {
  const paymentTermsDays = parsePaymentTermsDays(contract.paymentTerms);
  const unreadableTerms = paymentTermsDays === null && hasText(contract.paymentTerms);
  return approvalChain(
    { totalCents: contract.totalCents, paymentTermsDays, hasCustomTerms: hasCustomTerms(contract.terms) || unreadableTerms },
    t,
  );
}

function assertCents(totalCents: number): void {
  if (!Number.isSafeInteger(totalCents) || totalCents < 0) throw new RangeError(`totalCents must be non-negative integer cents, got ${totalCents}`);
}
