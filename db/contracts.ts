import { and, eq, inArray, sql } from 'drizzle-orm';
import { DEFAULT_APPROVAL_THRESHOLDS } from '../domain/approvals';
import { chargeCallOff, consumptionOf, exceedsRemaining, isFullyConsumed, priceCallOff, totalOf, type CallOffLine, type PricedCallOffLine } from '../domain/call-offs';
import type { RetentionCase } from '../domain/contracts';
import { dayOf } from '../domain/dates';
import { fromCents, toCents } from '../domain/money';
import type { ApprovalDecisionRecord, ContractEventRecord, ContractPolicy, ContractRecord, ContractVersionRecord } from '../domain/processes/contract';
import { contractEventNotifications } from '../domain/processes/notifications';
import { contractTasks } from '../domain/tasks';
import type { Db, Tx } from './client';
import { Refusal } from './refusal';
import { contractApprovals, contractCallOffs, contractEvents, contractRetentionCases, contracts, contractVersions, products } from './schema';
import { audit } from './audit';
import { writeNotifications, type DeliveryChannels } from './notifications';
import { promotionsOn } from './products';
import { loadSettings } from './settings';
import { replaceTasks } from './tasks';

export interface ReserveCallOffInput {
  orderId: string;
  contractId: string;
  customerId: string;
  lines: CallOffLine[];
  /** The order date, YYYY-MM-DD: the contract must be valid on it. */
  on: string;
}

export interface CallOffReservation {
  lines: PricedCallOffLine[];
  totalCents: number;
}

const at = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Locks the contract row: every draw-down against one contract passes through this lock. */
async function lockContract(tx: Tx, contractId: string) {
  const [row] = await tx.select().from(contracts).where(eq(contracts.id, contractId)).for('update');
  return row ?? null;
}

async function drawnBy(tx: Tx, contractId: string, statuses: Array<'reserved' | 'consumed'>) {
  const rows = await tx.select({ lines: contractCallOffs.lines }).from(contractCallOffs)
    .where(and(eq(contractCallOffs.contractId, contractId), inArray(contractCallOffs.status, statuses)));
  return consumptionOf(rows);
}

async function listPrices(tx: Tx, lines: readonly CallOffLine[]) {
  const rows = await tx.select({ sku: products.sku, listPrice: products.listPrice }).from(products).where(inArray(products.sku, lines.map((l) => l.sku)));
  return (sku: string) => {
    const row = rows.find((r) => r.sku === sku);
    return row ? toCents(row.listPrice) : null;
  };
}

/** The approval thresholds and invoice terms a contract starts with. */
export async function loadContractPolicy(db: Db): Promise<ContractPolicy> {
  const settings = await loadSettings(db);
  return {
    thresholds: {
      ...DEFAULT_APPROVAL_THRESHOLDS,
      financeFromCents: toCents(settings['contract.approval.financeFrom'] as string),
      legalFromCents: toCents(settings['contract.approval.legalFrom'] as string),
    },
    invoiceDueDays: settings['order.invoiceDueDays'] as number,
    fourEyes: settings['fourEyes.contractApproval'] !== false,
    retentionDiscountWithoutApproval: settings['contract.retentionDiscountWithoutApproval'] as number,
  };
}

/**
 * Writes the contract row, its event, the version and approval rows the transition produced and the
 * contract's open tasks, in one transaction. The event's (contract, seq) key admits a transition once:
 * a retried or late write finds its event stored and changes nothing, and the row and its tasks only
 * ever move forward in seq.
 */
export async function recordContract(
  db: Db,
  input: { contract: ContractRecord; event: ContractEventRecord; versions?: ContractVersionRecord[]; approval?: ApprovalDecisionRecord },
  channels: DeliveryChannels,
): Promise<number[]> {
  const { contract: c, event: e } = input;
  const row = {
    ...c, targetValue: fromCents(c.terms.targetValueCents), validFrom: new Date(c.terms.validFrom), validTo: new Date(c.terms.validTo),
    createdAt: new Date(c.createdAt), updatedAt: new Date(e.at), signedAt: at(c.signedAt), activatedAt: at(c.activatedAt), endedAt: at(c.endedAt), lastSeq: e.seq,
  };
  return db.transaction(async (tx) => {
    const moved = await tx.insert(contracts).values(row).onConflictDoUpdate({
      target: contracts.id,
      set: {
        status: row.status, version: row.version, term: row.term, targetValue: row.targetValue, validFrom: row.validFrom, validTo: row.validTo,
        terms: row.terms, awaiting: row.awaiting, updatedAt: row.updatedAt, signedAt: row.signedAt, activatedAt: row.activatedAt, endedAt: row.endedAt, lastSeq: row.lastSeq,
      },
      setWhere: sql`${contracts.lastSeq} < ${row.lastSeq}`,
    }).returning({ id: contracts.id });
    if (moved.length > 0) {
      await replaceTasks(tx, contractTasks(c), e.at);
      if (c.retention) await recordRetentionCase(tx, c.id, c.retention);
    }
    const [fresh] = await tx.insert(contractEvents).values({ contractId: c.id, ...e, version: c.version, at: new Date(e.at) }).onConflictDoNothing().returning({ seq: contractEvents.seq });
    const waiting = await writeNotifications(tx, contractEventNotifications(c, e), channels);
    if (!fresh) return waiting;
    for (const v of input.versions ?? []) {
      const versionRow = { contractId: c.id, ...v, targetValue: fromCents(v.terms.targetValueCents), createdAt: new Date(v.createdAt), decidedAt: at(v.decidedAt) };
      await tx.insert(contractVersions).values(versionRow).onConflictDoUpdate({
        target: [contractVersions.contractId, contractVersions.version],
        set: { status: versionRow.status, decidedAt: versionRow.decidedAt },
      });
    }
    if (input.approval) {
      const { fourEyesOverride, ...approval } = input.approval;
      await tx.insert(contractApprovals).values({ contractId: c.id, ...approval, at: new Date(approval.at) }).onConflictDoNothing();
      // An approval the four-eyes rule would have refused, the contract's policy having relaxed it.
      if (fourEyesOverride) {
        await audit(tx, { id: approval.actorId, name: '', roles: [] }, 'four-eyes.override', 'contract', c.id, {
          rule: 'fourEyes.contractApproval', action: 'approve', actorWas: fourEyesOverride.as, round: approval.round, step: approval.step, role: approval.role,
        });
      }
    }
    return waiting;
  });
}

/** The latest retention case as the contract row that just moved forward holds it. */
async function recordRetentionCase(tx: Tx, contractId: string, r: RetentionCase) {
  const row = { contractId, case: r.case, status: r.status, requestedAt: new Date(r.requestedAt), requestedBy: r.requestedBy, reason: r.reason, offer: r.offer, decidedAt: at(r.decidedAt) };
  await tx.insert(contractRetentionCases).values(row).onConflictDoUpdate({
    target: [contractRetentionCases.contractId, contractRetentionCases.case],
    set: { status: row.status, offer: row.offer, decidedAt: row.decidedAt },
  });
}

/**
 * Reserves an order's draw-down at the prices the order charges (contract prices less the day's promotions). One transaction holds the contract row lock
 * while it reads what is drawn and inserts the call-off, so concurrent call-offs can never together
 * exceed the target. A retry for the same order returns the reservation it already made. A contract
 * that cannot serve the order is a Refusal.
 */
export async function reserveCallOff(db: Db, input: ReserveCallOffInput): Promise<CallOffReservation> {
  return db.transaction(async (tx) => {
    const contract = await lockContract(tx, input.contractId);
    if (!contract) throw new Refusal(`contract ${input.contractId} does not exist`);
    const [existing] = await tx.select().from(contractCallOffs).where(eq(contractCallOffs.orderId, input.orderId));
    if (existing) {
      if (existing.contractId !== input.contractId || existing.status === 'released') {
        throw new Refusal(`order ${input.orderId} already has a ${existing.status} call-off against contract ${existing.contractId}`);
      }
      return { lines: existing.lines, totalCents: toCents(existing.total) };
    }
    if (contract.status !== 'active') throw new Refusal(`contract ${contract.id} is ${contract.status}, not active`, { contractStatus: contract.status });
    if (contract.customerId !== input.customerId) throw new Refusal(`contract ${contract.id} belongs to another customer`);
    if (input.on < dayOf(contract.validFrom.getTime()) || input.on > dayOf(contract.validTo.getTime())) {
      throw new Refusal(`contract ${contract.id} is not valid on ${input.on}`);
    }
    const terms = { ...contract.terms, type: contract.type };
    const atContractPrices = priceCallOff(terms, input.lines, await listPrices(tx, input.lines));
    if (typeof atContractPrices === 'string') throw new Refusal(atContractPrices);
    const lines = chargeCallOff(atContractPrices, await promotionsOn(tx, input.lines.map((l) => l.sku), input.on), input.on);
    const refused = exceedsRemaining(terms, await drawnBy(tx, contract.id, ['reserved', 'consumed']), lines);
    if (refused) throw new Refusal(`contract ${contract.id} is exhausted: ${refused}`);
    const totalCents = totalOf(lines);
    await tx.insert(contractCallOffs).values({
      orderId: input.orderId, contractId: contract.id, customerId: input.customerId, status: 'reserved', lines, total: fromCents(totalCents), calledOn: input.on,
    });
    return { lines, totalCents };
  });
}

/** A cancelled order's reserved draw-down returns to the contract. Idempotent. */
export async function releaseCallOff(db: Db | Tx, orderId: string): Promise<void> {
  await db.update(contractCallOffs).set({ status: 'released', updatedAt: new Date() })
    .where(and(eq(contractCallOffs.orderId, orderId), eq(contractCallOffs.status, 'reserved')));
}

/**
 * The order was fulfilled: its reservation becomes consumption, under the contract row lock. Answers
 * whether the active contract is now fully consumed (its workflow is to be told) and that workflow's id.
 * Idempotent; a missing or released call-off is a Refusal.
 */
export async function consumeCallOff(db: Db, orderId: string): Promise<{ fullyConsumed: boolean; contractWorkflowId: string }> {
  return db.transaction(async (tx) => {
    const [callOff] = await tx.select({ contractId: contractCallOffs.contractId, status: contractCallOffs.status }).from(contractCallOffs).where(eq(contractCallOffs.orderId, orderId));
    if (!callOff) throw new Refusal(`order ${orderId} has no call-off`);
    if (callOff.status === 'released') throw new Refusal(`the call-off of order ${orderId} was released`);
    const contract = (await lockContract(tx, callOff.contractId))!;
    await tx.update(contractCallOffs).set({ status: 'consumed', updatedAt: new Date() }).where(and(eq(contractCallOffs.orderId, orderId), eq(contractCallOffs.status, 'reserved')));
    const consumed = await drawnBy(tx, contract.id, ['consumed']);
    return { fullyConsumed: contract.status === 'active' && isFullyConsumed({ ...contract.terms, type: contract.type }, consumed), contractWorkflowId: contract.workflowId };
  });
}
