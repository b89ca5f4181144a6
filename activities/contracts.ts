import { consumeCallOff, loadContractPolicy, recordContract, releaseCallOff, reserveCallOff, type CallOffReservation, type ReserveCallOffInput } from '../db/contracts';
import {
  contractConsumed, type ApprovalDecisionRecord, type ContractEventRecord, type ContractPolicy, type ContractRecord, type ContractVersionRecord,
} from '../domain/processes/contract';
import type { ActivityDeps } from './deps';
import { notificationOutlet } from './notifications';
import { refusalsAsFailures } from './failures';

export type { CallOffReservation, ReserveCallOffInput } from '../db/contracts';

export function createContractActivities(deps: ActivityDeps) {
  const { db, temporal } = deps;
  const outlet = notificationOutlet(deps);
  return {
    async loadContractPolicy(): Promise<ContractPolicy> {
      return loadContractPolicy(db);
    },

    /** The contract row, its event and the version and approval rows of a transition, once per (contract, seq). */
    async recordContract(input: { contract: ContractRecord; event: ContractEventRecord; versions?: ContractVersionRecord[]; approval?: ApprovalDecisionRecord }): Promise<void> {
      await outlet.handOver(await recordContract(db, input, outlet.channels));
    },

    /** Reserves an order's draw-down at contract prices under the contract row lock; refusals are business failures. */
    async reserveCallOff(input: ReserveCallOffInput): Promise<CallOffReservation> {
      return refusalsAsFailures(reserveCallOff(db, input));
    },

    /** Compensation for a cancelled order: its reserved draw-down returns to the contract. Idempotent. */
    async releaseCallOff(input: { orderId: string }): Promise<void> {
      await releaseCallOff(db, input.orderId);
    },

    /**
     * The order was fulfilled: its reservation becomes consumption. When consumption reaches the target
     * the contract workflow is told, and completes. Idempotent; a retry re-checks and re-tells.
     */
    async confirmCallOff(input: { orderId: string }): Promise<{ contractCompleted: boolean }> {
      const outcome = await refusalsAsFailures(consumeCallOff(db, input.orderId));
      if (outcome.fullyConsumed) {
        if (!temporal) throw new Error('confirmCallOff needs a Temporal client in its ActivityDeps to tell the contract it is consumed');
        await temporal.workflow.getHandle(outcome.contractWorkflowId).signal(contractConsumed);
      }
      return { contractCompleted: outcome.fullyConsumed };
    },
  };
}
