import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CANCELLABLE_ORDER_STATES, checkCredit, hasCreditLine, intakeProblems, MAX_LINE_QTY, ORDER_STATES, orderActions,
  orderRefusal, orderSummary, orderTermsFrom, type OrderFacts,
} from '../../domain/orders';
import { addDays } from '../../domain/dates';
import { groupedAmount } from '../../domain/money';
import type { Actor, Role } from '../../domain/roles';

const actor = (...roles: Role[]): Actor => ({ id: 'U-1', name: 'Test', roles });
const facts = (overrides: Partial<OrderFacts> = {}): OrderFacts => ({ state: 'fulfilling', hasGoods: true, hasServices: false, cancelling: false, ...overrides });

describe('order actions by state and role', () => {
  it('lets finance decide a credit hold and nobody else', () => {
    expect(orderActions(facts({ state: 'credit_hold' }), actor('finance'))).toEqual(['credit-decision', 'cancel']);
    expect(orderRefusal(facts({ state: 'credit_hold' }), 'credit-decision', actor('agent'))).toMatchObject({ kind: 'forbidden' });
  });

  it('refuses an action in the wrong state, naming the state and what the actor can do instead', () => {
    expect(orderRefusal(facts({ state: 'awaiting_payment' }), 'credit-decision', actor('finance'))).toEqual({
      kind: 'invalid_state', message: 'credit-decision is not possible in state awaiting_payment', state: 'awaiting_payment', allowedActions: ['payments', 'cancel'],
    });
  });

  it('allows cancelling before shipment or activation and never after', () => {
    for (const state of ORDER_STATES) {
      const allowed = orderActions(facts({ state }), actor('agent')).includes('cancel');
      expect(allowed, state).toBe(CANCELLABLE_ORDER_STATES.includes(state));
    }
    expect(CANCELLABLE_ORDER_STATES).not.toContain('shipped');
    expect(CANCELLABLE_ORDER_STATES).not.toContain('activated');
  });

  it('ships goods only, and a mixed order only once its services are active', () => {
    expect(orderRefusal(facts({ hasGoods: false, hasServices: true }), 'shipments', actor('fulfilment'))?.message).toBe('the order has no goods to ship');
    expect(orderRefusal(facts({ hasServices: true }), 'shipments', actor('fulfilment'))?.kind).toBe('invalid_state');
    expect(orderRefusal(facts({ state: 'activated', hasServices: true }), 'shipments', actor('fulfilment'))).toBeNull();
  });

  it('refuses everything while a cancellation is running', () => {
    expect(orderActions(facts({ cancelling: true }), actor('agent', 'fulfilment', 'finance'))).toEqual([]);
  });
});

describe('intake', () => {
  it('refuses a sku named twice and quantities beyond the line limit', () => {
    expect(intakeProblems([{ sku: 'A', qty: 1 }, { sku: 'A', qty: 2 }, { sku: 'B', qty: MAX_LINE_QTY + 1 }])).toEqual([
      { path: '/lines/1/sku', message: 'sku A appears twice; put the whole quantity on one line' },
      { path: '/lines/2/qty', message: `at most ${MAX_LINE_QTY} per line` },
    ]);
    expect(intakeProblems([{ sku: 'A', qty: MAX_LINE_QTY }])).toEqual([]);
  });
});

describe('credit check', () => {
  it('passes while open receivables plus the order stay within the limit, inclusive', () => {
    expect(checkCredit({ limitCents: 100_00, openReceivablesCents: 40_00, orderTotalCents: 60_00 })).toEqual({ withinLimit: true, exposureCents: 100_00, limitCents: 100_00 });
    expect(checkCredit({ limitCents: 100_00, openReceivablesCents: 40_01, orderTotalCents: 60_00 }).withinLimit).toBe(false);
  });

  it('agrees with the plain comparison for any amounts', () => {
    fc.assert(fc.property(fc.nat(10 ** 9), fc.nat(10 ** 9), fc.nat(10 ** 9), (limit, open, total) =>
      checkCredit({ limitCents: limit, openReceivablesCents: open, orderTotalCents: total }).withinLimit === (open + total <= limit)));
  });

  it('has no credit line to hold against when the limit is zero', () => {
    expect(hasCreditLine(0)).toBe(false);
    expect(hasCreditLine(1)).toBe(true);
  });
});

describe('terms, dates and words', () => {
  it('reads the order settings as milliseconds and days', () => {
    expect(orderTermsFrom({ 'order.creditHoldTimeout': '24h', 'order.backorderTimeout': '14d', 'order.activationTimeout': '90s', 'order.prepaidPaymentTimeout': '48h', 'order.invoiceDueDays': 30 }))
      .toEqual({ creditHoldMs: 86_400_000, backorderMs: 14 * 86_400_000, activationMs: 90_000, prepaidPaymentMs: 172_800_000, invoiceDueDays: 30, fourEyesCreditDecision: true });
  });

  it('keeps the four-eyes rule on credit decisions unless the setting relaxes it (settings from before it existed keep it)', () => {
    const base = { 'order.creditHoldTimeout': '24h', 'order.backorderTimeout': '14d', 'order.activationTimeout': '90s', 'order.prepaidPaymentTimeout': '48h', 'order.invoiceDueDays': 30 };
    expect(orderTermsFrom({ ...base, 'fourEyes.creditDecision': false }).fourEyesCreditDecision).toBe(false);
    expect(orderTermsFrom({ ...base, 'fourEyes.creditDecision': true }).fourEyesCreditDecision).toBe(true);
  });

  it('adds calendar days across month and year ends', () => {
    expect(addDays('2026-01-31', 30)).toBe('2026-03-02');
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14');
  });

  it('summarises an order the way managers read it', () => {
    expect(groupedAmount(123_450)).toBe('1 234.50');
    expect(groupedAmount(5)).toBe('0.05');
    expect(orderSummary({ number: 'SO-2026-000045', lineCount: 3, totalCents: 123_450, paymentTerms: 'credit' })).toBe('Order SO-2026-000045 · 3 lines · 1 234.50 · credit');
    expect(orderSummary({ number: 'SO-2026-000046', lineCount: 1, totalCents: 100, paymentTerms: 'cod' })).toBe('Order SO-2026-000046 · 1 line · 1.00 · cod');
  });
});
