import { describe, expect, it } from 'vitest';
import { toProblem } from '../../api/plugins/errors';
import { tiersOf, withTiers } from '../../domain/users';

describe('tiers are tier roles', () => {
  it('reads the tiers of roles in tier order', () => {
    expect(tiersOf(['support_l3', 'finance', 'agent'])).toEqual(['L1', 'L3']);
    expect(tiersOf(['manager'])).toEqual([]);
  });

  it('replaces only the tier roles', () => {
    expect(withTiers(['agent', 'finance', 'support_l2'], ['L3', 'L2'])).toEqual(['finance', 'support_l2', 'support_l3']);
    expect(withTiers(['agent'], [])).toEqual([]);
  });
});

describe('validation problems', () => {
  const problem = (validation: object[]) => toProblem(Object.assign(new Error('invalid'), { validation, validationContext: 'body' }));
  const constant = (path: string, allowedValue: string) => ({ instancePath: path, keyword: 'const', params: { allowedValue }, schemaPath: '#', message: 'must be equal to constant' });

  it('folds a union of words into one sentence naming them, null included', () => {
    const body = problem([
      constant('/priority', 'low'), constant('/priority', 'high'),
      { instancePath: '/priority', keyword: 'anyOf', params: {}, schemaPath: '#', message: 'must match a schema in anyOf' },
      constant('/language', 'de'), constant('/language', 'en'),
      { instancePath: '/language', keyword: 'anyOf', params: {}, schemaPath: '#', message: 'must match a schema in anyOf' },
      { instancePath: '/language', keyword: 'type', params: { type: 'null' }, schemaPath: '#', message: 'must be null' },
      { instancePath: '/language', keyword: 'anyOf', params: {}, schemaPath: '#', message: 'must match a schema in anyOf' },
      { instancePath: '/qty', keyword: 'minimum', params: {}, schemaPath: '#', message: 'must be >= 1' },
    ]);
    expect(body.errors).toEqual([
      { path: '/priority', message: 'must be one of low, high' },
      { path: '/language', message: 'must be one of de, en, or null' },
      { path: '/qty', message: 'must be >= 1' },
    ]);
  });
});
