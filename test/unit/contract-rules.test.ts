import { describe, expect, it } from 'vitest';
import type { ApproverRole } from '../../domain/approvals';
import {
  CONTRACT_ACTION_NAMES, CONTRACT_ACTIONS, CONTRACT_STATES, contractActions, contractRefusal, type ContractAction, type ContractFacts,
} from '../../domain/contracts';
import { ROLES, type Actor, type Role } from '../../domain/roles';
import { allowedActions } from '../../domain/state-machine';

const CHAINS: ApproverRole[][] = [['sales_manager'], ['sales_manager', 'finance'], ['sales_manager', 'legal'], ['sales_manager', 'finance', 'legal']];
const APPROVALS: ContractFacts['approval'][] = [null, ...CHAINS.flatMap((chain) => chain.map((_, step) => ({ chain, step })))];
const ROLE_SETS: Role[][] = [[], ...ROLES.map((role) => [role]), ['sales_manager', 'finance'], ['finance', 'legal'], ['sales_manager', 'finance', 'legal'], ['contract_admin', 'legal']];

/** What the action table allows, narrowed by the approval round as the SPEC states it. */
function fromTable(c: ContractFacts, actor: Actor): ContractAction[] {
  return allowedActions(CONTRACT_ACTIONS, c.state, actor).filter((action) => {
    if (action === 'approve' || action === 'reject') return c.approval !== null && actor.roles.includes(c.approval.chain[c.approval.step]!);
    if (action === 'amend' || action === 'renew') return c.approval === null;
    // Retention (issue 17): one request at a time and none once a termination is scheduled; the step's
    // actions while it is open; accepting needs an offer, and no other amendment awaiting approval.
    if (action === 'termination-request') return (c.retention !== 'open' && c.retention !== 'awaiting_approval') && !c.terminationScheduled;
    if (action === 'retention-offer' || action === 'retention-decline') return c.retention === 'open';
    if (action === 'retention-accept') return c.retention === 'open' && c.retentionOffered === true && c.approval === null;
    return true;
  });
}

const RETENTION: Array<Pick<ContractFacts, 'retention' | 'retentionOffered' | 'terminationScheduled'>> = [
  {}, { retention: 'open', retentionOffered: false }, { retention: 'open', retentionOffered: true }, { retention: 'awaiting_approval', retentionOffered: true },
  { retention: 'retained' }, { retention: 'lost', terminationScheduled: true }, { retention: null, terminationScheduled: true },
];

const cases = CONTRACT_STATES.flatMap((state) => APPROVALS.flatMap((approval) => RETENTION.flatMap((retention) => ROLE_SETS.map((roles) => ({
  facts: { state, approval, ...retention },
  actor: { id: 'U-1', name: 'Test', roles },
})))));

describe('contract actions against the action table', () => {
  it('allows, for every state × role × approval step, what the table and the approval round allow', () => {
    for (const { facts, actor } of cases) {
      expect(contractActions(facts, actor), JSON.stringify({ facts, roles: actor.roles })).toEqual(fromTable(facts, actor));
    }
  });

  it('refuses exactly what it does not allow, naming the allowed actions on a state conflict', () => {
    for (const { facts, actor } of cases) {
      const allowed = contractActions(facts, actor);
      for (const action of CONTRACT_ACTION_NAMES) {
        const refusal = contractRefusal(facts, action, actor);
        expect(refusal === null, `${action} ${JSON.stringify({ facts, roles: actor.roles })}`).toBe(allowed.includes(action));
        if (refusal?.kind === 'invalid_state') expect(refusal).toMatchObject({ state: facts.state, allowedActions: allowed });
      }
    }
  });
});
