import { describe, expect, it } from 'vitest';
import { contractActions, contractRefusal, type ContractFacts } from '../../domain/contracts';
import { fieldRefusals, type FieldRules } from '../../domain/field-access';
import { orderActions, orderRefusal, type OrderFacts } from '../../domain/orders';
import type { Actor } from '../../domain/roles';

const manager = (id: string): Actor => ({ id, name: id, roles: ['sales_manager'] });

describe('four eyes on contract approvals', () => {
  const pending = (conflicted: NonNullable<ContractFacts['approval']>['conflicted'], fourEyes?: boolean): ContractFacts => ({
    state: 'pending_approval', approval: { chain: ['sales_manager', 'finance'], step: 0, conflicted }, ...(fourEyes === undefined ? {} : { fourEyes }),
  });
  const parties = [{ actorId: 'U-1', as: 'drafted' as const }, { actorId: 'U-2', as: 'submitted' as const }];

  it('refuses the drafter and the submitter with 403 and never offers them approve; they may still reject', () => {
    for (const id of ['U-1', 'U-2']) {
      expect(contractRefusal(pending(parties), 'approve', manager(id))).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('four eyes') });
      expect(contractActions(pending(parties), manager(id))).toEqual(['reject']);
    }
    expect(contractActions(pending(parties), manager('U-3'))).toEqual(['approve', 'reject']);
  });

  it('holds when the contract predates the setting (no flag) and yields only when the contract opened with it off', () => {
    expect(contractRefusal(pending(parties), 'approve', manager('U-1'))).not.toBeNull();
    expect(contractRefusal(pending(parties, true), 'approve', manager('U-1'))).not.toBeNull();
    expect(contractRefusal(pending(parties, false), 'approve', manager('U-1'))).toBeNull();
  });

  it("names the amendment's proposer", () => {
    expect(contractRefusal(pending([{ actorId: 'U-9', as: 'proposed' }]), 'approve', manager('U-9'))?.message).toContain('you proposed this amendment');
  });

  it('lets a step already decided stay a conflict (409), not a four-eyes refusal', () => {
    const facts: ContractFacts = { state: 'pending_approval', approval: { chain: ['sales_manager', 'finance'], step: 1, conflicted: parties } };
    expect(contractRefusal(facts, 'approve', manager('U-1'))).toMatchObject({ kind: 'invalid_state' });
  });
});

describe('four eyes on credit holds', () => {
  const held = (fourEyes?: boolean): OrderFacts => ({ state: 'credit_hold', hasGoods: true, hasServices: false, cancelling: false, placedBy: 'U-1', ...(fourEyes === undefined ? {} : { fourEyes }) });
  const financeAgent = (id: string): Actor => ({ id, name: id, roles: ['agent', 'finance'] });

  it("refuses the placer's credit decision unless the order started with the rule relaxed", () => {
    expect(orderRefusal(held(), 'credit-decision', financeAgent('U-1'))).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('you placed this order') });
    expect(orderActions(held(), financeAgent('U-1'))).toEqual(['cancel']);
    expect(orderActions(held(), financeAgent('U-2'))).toEqual(['credit-decision', 'cancel']);
    expect(orderRefusal(held(false), 'credit-decision', financeAgent('U-1'))).toBeNull();
  });
});

describe('field rules', () => {
  const rules: FieldRules = {
    creditLimit: { roles: ['finance'], otherwise: { atMostSetting: 'credit.defaultLimit' } },
    tier: { roles: ['supervisor'], otherwise: { equals: 'standard' } },
    status: ['admin'],
  };
  const settings = { 'credit.defaultLimit': '1000.00' } as never;
  const agent = { roles: ['agent' as const] };

  it('admits the named roles freely, others within the bound, and refuses the rest naming each field', () => {
    expect(fieldRefusals(rules, { creditLimit: '999999.00', tier: 'vip' }, { roles: ['finance', 'supervisor'] }, settings)).toEqual([]);
    expect(fieldRefusals(rules, { creditLimit: '1000.00', tier: 'standard', name: 'x' }, agent, settings)).toEqual([]);
    expect(fieldRefusals(rules, { creditLimit: '1000.01', tier: 'vip', status: 'blocked' }, agent, settings).map((r) => r.path)).toEqual(['/creditLimit', '/tier', '/status']);
  });

  it('leaves values of the wrong shape to the schema and judges only fields present', () => {
    expect(fieldRefusals(rules, { creditLimit: 12 }, agent, settings)).toEqual([]);
    expect(fieldRefusals(rules, {}, agent, settings)).toEqual([]);
    expect(fieldRefusals(rules, null, agent, settings)).toEqual([]);
  });
});
