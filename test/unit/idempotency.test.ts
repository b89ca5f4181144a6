import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, requestHash } from '../../api/idempotency';

/** The same value with every object's keys in reverse order. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
  return value;
}

describe('the request hash under an Idempotency-Key', () => {
  it('is the same for one body with its keys in another order, at any depth', () => {
    const a = { customerId: 'CUS-1', lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }], paymentTerms: 'credit' };
    const b = { paymentTerms: 'credit', lines: [{ qty: 1, sku: 'A' }, { qty: 2, sku: 'B' }], customerId: 'CUS-1' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(requestHash('POST /orders', a)).toBe(requestHash('POST /orders', b));
  });

  it('tells apart bodies that differ in a value, in array order, or in scope', () => {
    const body = { lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }] };
    expect(requestHash('POST /orders', body)).not.toBe(requestHash('POST /orders', { lines: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 2 }] }));
    expect(requestHash('POST /orders', body)).not.toBe(requestHash('POST /orders', { lines: [...body.lines].reverse() }));
    expect(requestHash('POST /orders', body)).not.toBe(requestHash('POST /tickets', body));
    expect(requestHash('POST /x', { a: '1' })).not.toBe(requestHash('POST /x', { a: 1 }));
  });

  it('is canonical for any JSON value (property): reordering keys never changes it, and it parses back to the value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(canonicalJson(reordered(value))).toBe(canonicalJson(value));
      expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
    }));
  });
});
