import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_APPROVAL_THRESHOLDS,
  approvalChain,
  contractApprovalChain,
  hasCustomTerms,
  parsePaymentTermsDays,
  type ApproverRole,
} from '../../domain/approvals';
import { MAX_CENTS, toCents } from '../../domain/money';

const chainFor = (amount: string, extra: { paymentTermsDays?: number | null; hasCustomTerms?: boolean } = {}): ApproverRole[] =>
  approvalChain({ totalCents: toCents(amount), hasCustomTerms: false, ...extra });

describe('approvalChain with default thresholds', () => {
  it('asks only the sales manager below 100 000.00', () => {
    expect(chainFor('0.00')).toEqual(['sales_manager']);
    expect(chainFor('99999.99')).toEqual(['sales_manager']);
  });

  it('adds finance from 100 000.00 inclusive', () => {
    expect(chainFor('100000.00')).toEqual(['sales_manager', 'finance']);
    expect(chainFor('499999.99')).toEqual(['sales_manager', 'finance']);
  });

  it('adds legal from 500 000.00 inclusive, after finance', () => {
    expect(chainFor('500000.00')).toEqual(['sales_manager', 'finance', 'legal']);
  });

  it('adds legal for a small contract with its own terms text, without finance', () => {
    expect(chainFor('1000.00', { hasCustomTerms: true })).toEqual(['sales_manager', 'legal']);
  });

  it('adds legal for payment terms beyond 60 days, not at 60', () => {
    expect(chainFor('1000.00', { paymentTermsDays: 60 })).toEqual(['sales_manager']);
    expect(chainFor('1000.00', { paymentTermsDays: 61 })).toEqual(['sales_manager', 'legal']);
    expect(chainFor('1000.00', { paymentTermsDays: null })).toEqual(['sales_manager']);
  });

  it('throws RangeError on a total that is not non-negative integer cents', () => {
    expect(() => approvalChain({ totalCents: -1, hasCustomTerms: false })).toThrow(RangeError);
    expect(() => approvalChain({ totalCents: 1.5, hasCustomTerms: false })).toThrow(RangeError);
  });
});

describe('approvalChain with configured thresholds', () => {
  it('uses the thresholds it is given', () => {
    const t = { financeFromCents: toCents('10.00'), legalFromCents: toCents('20.00'), standardPaymentDays: 30 };
    expect(approvalChain({ totalCents: toCents('10.00'), hasCustomTerms: false }, t)).toEqual(['sales_manager', 'finance']);
    expect(approvalChain({ totalCents: toCents('20.00'), hasCustomTerms: false }, t)).toEqual(['sales_manager', 'finance', 'legal']);
    expect(approvalChain({ totalCents: 0, paymentTermsDays: 45, hasCustomTerms: false }, t)).toEqual(['sales_manager', 'legal']);
  });

  it('starts with the sales manager, keeps the fixed order and never repeats a role', () => {
    const order: ApproverRole[] = ['sales_manager', 'finance', 'legal'];
    fc.assert(
      fc.property(fc.nat(MAX_CENTS), fc.option(fc.nat(365), { nil: null }), fc.boolean(), (totalCents, paymentTermsDays, custom) => {
        const chain = approvalChain({ totalCents, paymentTermsDays, hasCustomTerms: custom });
        expect(chain[0]).toBe('sales_manager');
        expect(chain).toEqual(order.filter((role) => chain.includes(role)));
      }),
    );
  });

  it('never drops an approver when the total grows', () => {
    fc.assert(
      fc.property(fc.nat(MAX_CENTS), fc.nat(MAX_CENTS), fc.boolean(), (a, b, custom) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const larger = approvalChain({ totalCents: high, hasCustomTerms: custom });
        return approvalChain({ totalCents: low, hasCustomTerms: custom }).every((role) => larger.includes(role));
      }),
    );
  });

  it('defaults to 100 000.00, 500 000.00 and 60 days', () => {
    expect(DEFAULT_APPROVAL_THRESHOLDS).toEqual({ financeFromCents: 10_000_000, legalFromCents: 50_000_000, standardPaymentDays: 60 });
  });
});

describe('parsePaymentTermsDays', () => {
  it.each([
    ['net30', 30],
    ['Net 90', 90],
    ['NET-45', 45],
    ['net 30 days', 30],
    ['30 days', 30],
    ['30 Days Net', 30],
    ['60d', 60],
    ['  14  ', 14],
    ['immediate', 0],
    ['Due on receipt', 0],
    ['prepaid', 0],
    ['COD', 0],
  ])('reads "%s" as %i days', (text, days) => {
    expect(parsePaymentTermsDays(text)).toBe(days);
  });

  it.each([['end of month'], ['net'], ['2/10 net 30'], ['30 working days'], [''], ['-30 days']])('does not understand "%s"', (text) => {
    expect(parsePaymentTermsDays(text)).toBeNull();
  });

  it('gives null for absent terms', () => {
    expect(parsePaymentTermsDays(null)).toBeNull();
    expect(parsePaymentTermsDays(undefined)).toBeNull();
  });
});

describe('contractApprovalChain', () => {
  it('treats any non-blank terms text as custom', () => {
    expect(hasCustomTerms('Liability capped at 2x fees')).toBe(true);
    expect(hasCustomTerms('   ')).toBe(false);
    expect(hasCustomTerms(null)).toBe(false);
    expect(contractApprovalChain({ totalCents: 100, terms: 'Special SLA credits' })).toEqual(['sales_manager', 'legal']);
    expect(contractApprovalChain({ totalCents: 100, terms: '  ' })).toEqual(['sales_manager']);
  });

  it('sends long payment terms to legal and accepts standard ones', () => {
    expect(contractApprovalChain({ totalCents: 100, paymentTerms: 'net 90' })).toEqual(['sales_manager', 'legal']);
    expect(contractApprovalChain({ totalCents: 100, paymentTerms: 'net30' })).toEqual(['sales_manager']);
    expect(contractApprovalChain({ totalCents: 100 })).toEqual(['sales_manager']);
  });

  it('sends payment terms it cannot read to legal', () => {
    expect(contractApprovalChain({ totalCents: 100, paymentTerms: 'end of quarter after acceptance' })).toEqual(['sales_manager', 'legal']);
  });
});
