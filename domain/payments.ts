import { lateFee, type LateFeeRule } from './late-fee';
import { mulRateHalfUp, sumCents } from './money';

// SPEC §6: what an invoice owes on a day, and how a payment is spread over a customer's open invoices.
// Each cent of principal carries the late fee of its own days overdue: a payment on day P settling x of
// principal pays fee(x, P) with it. A partial payment therefore never charges the same days twice, and
// paying the full amount due on a day (GET /invoices/:id?asOf=P) settles the invoice exactly.

export interface OpenInvoice {
  id: string;
  dueOn: string;
  /** Principal still unpaid. */
  outstandingCents: number;
  /** Late fee already collected on earlier payments; the cap applies to the invoice as a whole. */
  lateFeePaidCents: number;
  /** The late-fee rule fixed when the invoice was issued. */
  rule: LateFeeRule;
}

export interface AmountDue {
  daysOverdue: number;
  lateFeeCents: number;
  amountDueCents: number;
}

function feeFor(principalCents: number, invoice: OpenInvoice, on: string): number {
  const { rule } = invoice;
  const { chargeableDays } = lateFee(principalCents, invoice.dueOn, on, rule);
  const capLeft = Math.max(0, rule.capCents - invoice.lateFeePaidCents);
  return Math.min(mulRateHalfUp(principalCents, rule.ratePerDay, chargeableDays), capLeft);
}

export function amountDue(invoice: OpenInvoice, asOf: string): AmountDue {
  const lateFeeCents = invoice.outstandingCents === 0 ? 0 : feeFor(invoice.outstandingCents, invoice, asOf);
  const { daysOverdue } = lateFee(invoice.outstandingCents, invoice.dueOn, asOf, invoice.rule);
  return { daysOverdue: invoice.outstandingCents === 0 ? 0 : daysOverdue, lateFeeCents, amountDueCents: sumCents(invoice.outstandingCents, lateFeeCents) };
}

export interface Allocation {
  invoiceId: string;
  principalCents: number;
  lateFeeCents: number;
}

/** The most principal that `available` can settle together with its fee. */
function settleable(available: number, invoice: OpenInvoice, on: string): number {
  const due = amountDue(invoice, on);
  if (available >= due.amountDueCents) return invoice.outstandingCents;
  // principal + fee(principal) grows with principal; search the largest principal that fits.
  let low = 0;
  let high = invoice.outstandingCents;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (mid + feeFor(mid, invoice, on) <= available) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Allocates a payment to open invoices in the order given (the caller sorts them oldest first). */
export function allocatePayment(amountCents: number, invoices: readonly OpenInvoice[], paidOn: string): { allocations: Allocation[]; unallocatedCents: number } {
  let left = amountCents;
  const allocations: Allocation[] = [];
  for (const invoice of invoices) {
    if (left === 0) break;
    const principalCents = settleable(left, invoice, paidOn);
    // Oldest first: what cannot settle anything of the oldest invoice goes to no newer one either.
    if (principalCents === 0) break;
    const lateFeeCents = feeFor(principalCents, invoice, paidOn);
    allocations.push({ invoiceId: invoice.id, principalCents, lateFeeCents });
    left -= principalCents + lateFeeCents;
  }
  return { allocations, unallocatedCents: left };
}
