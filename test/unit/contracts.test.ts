import { describe, expect, it } from 'vitest';
import { consumptionOf, exceedsRemaining, isFullyConsumed, priceCallOff, type CallOffTerms } from '../../domain/call-offs';
import { contractClock } from '../../domain/contract-time';
import { addDays, parseInstant, REAL_DAY_MS } from '../../domain/dates';
import { amendTerms, contractActions, contractRefusal, contractSummary, draftTerms, termChanges, type ContractTerms } from '../../domain/contracts';
import { DEFAULT_LATE_FEE_RULE } from '../../domain/late-fee';
import { allocatePayment, amountDue } from '../../domain/payments';
import type { Actor } from '../../domain/roles';

const actor = (...roles: Actor['roles']): Actor => ({ id: 'u', name: 'U', roles });

describe('contract time', () => {
  it('adds calendar months at the real day length and shrinks them proportionally at a test scale', () => {
    const jan31 = parseInstant('2026-01-31');
    expect(new Date(contractClock(REAL_DAY_MS).monthsAfter(jan31, 1)).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(contractClock(50).monthsAfter(jan31, 1) - jan31).toBe(28 * 50);
    expect(contractClock(50).days(30)).toBe(1500);
    expect(addDays('2026-08-31', 30)).toBe('2026-09-30');
    expect(() => parseInstant('2026-02-30')).toThrow(RangeError);
  });
});

describe('contract rules', () => {
  const chain = { chain: ['sales_manager', 'finance'] as const, step: 1 };
  it('lets only the approver of the current step act, and says who is awaited', () => {
    const facts = { state: 'pending_approval' as const, approval: { ...chain, chain: [...chain.chain] } };
    expect(contractRefusal(facts, 'approve', actor('finance'))).toBeNull();
    // A decided step is a conflict (the loser of a race learns it is done); a step still ahead is forbidden.
    expect(contractRefusal(facts, 'approve', actor('sales_manager'))).toMatchObject({ kind: 'invalid_state', message: expect.stringMatching(/sales_manager already decided step 1 of 2; it now awaits finance/) });
    expect(contractRefusal({ ...facts, approval: { ...facts.approval, step: 0 } }, 'approve', actor('finance'))).toMatchObject({ kind: 'forbidden', message: expect.stringMatching(/step 1 of 2 awaits sales_manager/) });
    expect(contractRefusal(facts, 'approve', actor('legal'))).toMatchObject({ kind: 'forbidden', message: expect.stringMatching(/not part of this approval chain/) });
  });

  it('refuses amending while an amendment awaits approval, naming what is allowed', () => {
    const facts = { state: 'active' as const, approval: { chain: ['sales_manager' as const], step: 0 } };
    expect(contractRefusal(facts, 'amend', actor('contract_admin'))).toMatchObject({ kind: 'invalid_state', state: 'active', allowedActions: ['terminate', 'termination-request'] });
    expect(contractActions({ state: 'active', approval: null }, actor('contract_admin'))).toEqual(['amend', 'terminate', 'renew', 'termination-request']);
  });

  it('summarises a contract for the Temporal UI', () => {
    expect(contractSummary({ number: 'C-2026-000007', type: 'value', targetValueCents: 25_000_000, customerId: 'CUS-000001' })).toBe('Contract C-2026-000007 · value 250 000.00 · CUS-000001');
  });
});

const base: ContractTerms = {
  validFrom: 0, validTo: 10_000, targetValueCents: 0, targetQuantities: null, prices: [], paymentTerms: null, billing: null,
  autoRenew: false, renewalMonths: 12, noticeDays: 30, terms: null,
};

describe('drafts and amendments', () => {
  it('values a quantity contract at contract prices, else list prices, and re-values it when prices are amended', () => {
    const list = (sku: string) => ({ A: 500, B: 700 })[sku] ?? null;
    const terms = draftTerms({ ...base, type: 'quantity', targetValueCents: null, targetQuantities: [{ sku: 'A', qty: 10 }, { sku: 'B', qty: 4 }], prices: [{ sku: 'A', unitPriceCents: 400 }] }, list);
    expect(terms).toMatchObject({ targetValueCents: 6_800 });
    const amended = amendTerms('quantity', terms as ContractTerms, { prices: [{ sku: 'B', unitPriceCents: 1_000 }] }, 0) as ContractTerms;
    expect(amended.targetValueCents).toBe(10 * 400 + 4 * 1_000);
    expect(amendTerms('quantity', terms as ContractTerms, { targetValueCents: 1 }, 0)).toMatch(/quantity contract/);
    expect(draftTerms({ ...base, type: 'value', targetValueCents: null, targetQuantities: null, prices: [{ sku: 'X', unitPriceCents: 1 }] }, list)).toEqual([
      { path: '/targetValue', message: 'a value contract needs a target value' }, { path: '/prices/0/sku', message: 'unknown product X' },
    ]);
  });

  it('lists what an amendment changed, field by field and sku by sku, and nothing for unchanged terms', () => {
    const list = (sku: string) => ({ A: 500, B: 700, C: 900 })[sku] ?? null;
    const terms = draftTerms({ ...base, type: 'quantity', targetValueCents: null, targetQuantities: [{ sku: 'A', qty: 10 }, { sku: 'B', qty: 4 }], prices: [{ sku: 'A', unitPriceCents: 400 }, { sku: 'C', unitPriceCents: 800 }] }, list) as ContractTerms;
    expect(termChanges(terms, terms)).toEqual([]);
    const validTo = Date.parse('2028-06-30T00:00:00Z');
    const amended = amendTerms('quantity', terms, { prices: [{ sku: 'A', unitPriceCents: 450 }, { sku: 'B', unitPriceCents: 1_000 }], validTo, terms: 'net 45 on site B' }, 0) as ContractTerms;
    expect(termChanges(terms, amended)).toEqual([
      // 10 × 4.00 + 4 × 7.00 (list) → 10 × 4.50 + 4 × 10.00
      { field: 'targetValue', from: '68.00', to: '85.00' },
      { field: 'validTo', from: new Date(base.validTo).toISOString(), to: '2028-06-30T00:00:00.000Z' },
      { field: 'terms', from: null, to: 'net 45 on site B' },
      { field: 'price A', from: '4.00', to: '4.50' },
      { field: 'price B', from: null, to: '10.00' },
      { field: 'price C', from: '8.00', to: null },
    ]);
  });

  it('reports each unknown product at its own place in the draft', () => {
    const list = (sku: string) => ({ A: 500 })[sku] ?? null;
    expect(draftTerms({
      ...base, type: 'quantity', targetValueCents: null, targetQuantities: [{ sku: 'A', qty: 1 }, { sku: 'Y', qty: 2 }], prices: [{ sku: 'A', unitPriceCents: 400 }, { sku: 'Z', unitPriceCents: 1 }],
    }, list)).toEqual([{ path: '/prices/1/sku', message: 'unknown product Z' }, { path: '/targetQuantities/1/sku', message: 'unknown product Y' }]);
  });
});

describe('call-offs', () => {
  const value: CallOffTerms = { type: 'value', targetValueCents: 10_000, targetQuantities: null, prices: [{ sku: 'A', unitPriceCents: 1_000 }] };
  it('prices at contract prices and refuses skus the contract does not cover', () => {
    expect(priceCallOff(value, [{ sku: 'A', qty: 2 }], () => 9_999)).toEqual([{ sku: 'A', qty: 2, unitPriceCents: 1_000 }]);
    expect(priceCallOff(value, [{ sku: 'B', qty: 1 }], () => 9_999)).toMatch(/does not cover product B/);
    expect(priceCallOff({ ...value, prices: [] }, [{ sku: 'B', qty: 1 }], () => 250)).toEqual([{ sku: 'B', qty: 1, unitPriceCents: 250 }]);
  });

  it('checks what remains and recognises full consumption', () => {
    const drawn = consumptionOf([{ lines: [{ sku: 'A', qty: 9, unitPriceCents: 1_000 }] }]);
    expect(exceedsRemaining(value, drawn, [{ sku: 'A', qty: 1, unitPriceCents: 1_000 }])).toBeNull();
    expect(exceedsRemaining(value, drawn, [{ sku: 'A', qty: 2, unitPriceCents: 1_000 }])).toMatch(/1000 cents of value left/);
    expect(isFullyConsumed(value, consumptionOf([{ lines: [{ sku: 'A', qty: 10, unitPriceCents: 1_000 }] }]))).toBe(true);
  });
});

describe('payments', () => {
  const invoice = { id: 'INV-1', dueOn: '2026-08-31', outstandingCents: 12_000, lateFeePaidCents: 0, rule: DEFAULT_LATE_FEE_RULE };
  it('owes 123.24 on 9 Sep for 120.00 due 31 Aug', () => {
    expect(amountDue(invoice, '2026-09-09')).toEqual({ daysOverdue: 9, lateFeeCents: 324, amountDueCents: 12_324 });
  });

  it('settles the oldest invoice first with its fee and spreads the rest, partially', () => {
    const next = { id: 'INV-2', dueOn: '2026-09-30', outstandingCents: 5_000, lateFeePaidCents: 0, rule: DEFAULT_LATE_FEE_RULE };
    expect(allocatePayment(15_000, [invoice, next], '2026-09-09')).toEqual({
      allocations: [{ invoiceId: 'INV-1', principalCents: 12_000, lateFeeCents: 324 }, { invoiceId: 'INV-2', principalCents: 2_676, lateFeeCents: 0 }],
      unallocatedCents: 0,
    });
  });

  it('charges a partial payment the fee of the principal it settles only', () => {
    const { allocations, unallocatedCents } = allocatePayment(6_162, [invoice], '2026-09-09');
    expect(allocations).toEqual([{ invoiceId: 'INV-1', principalCents: 6_000, lateFeeCents: 162 }]);
    expect(unallocatedCents).toBe(0);
  });
});
