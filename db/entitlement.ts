import { and, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { consumptionOf, remainingOf } from '../domain/call-offs';
import { entitlementVerdict, type Entitlement, type ServiceContractFacts } from '../domain/entitlement';
import { fromCents } from '../domain/money';
import type { Category } from '../domain/tickets';
import type { Db } from './client';
import { contractCallOffs, contracts } from './schema';

/**
 * The customer's service contracts (those carrying an SLA) that were activated or are signed and wait for
 * their valid-from (they activate then, so a question about that time is answered yes).
 */
export async function serviceContractsOf(db: Db, customerId: string) {
  return db.select().from(contracts).where(and(
    eq(contracts.customerId, customerId), or(isNotNull(contracts.activatedAt), eq(contracts.status, 'signed')),
    sql`${contracts.particulars}->'sla' is not null and ${contracts.particulars}->'sla' <> 'null'::jsonb`,
  ));
}

type ContractRow = Awaited<ReturnType<typeof serviceContractsOf>>[number];

const factsOf = (row: ContractRow): ServiceContractFacts => ({
  id: row.id, activatedAt: row.activatedAt?.getTime() ?? (row.status === 'signed' ? row.validFrom.getTime() : null), validFrom: row.validFrom.getTime(), validTo: row.validTo.getTime(),
  endedAt: row.endedAt?.getTime() ?? null, coveredCategories: row.particulars.coveredCategories ?? null, sla: row.particulars.sla ?? {},
});

/** Which of these contracts entitles a call about `category` at `at`, and why (not). */
export function entitlingContract(rows: readonly ContractRow[], category: Category | null, at: number) {
  const finding = entitlementVerdict(rows.map(factsOf), category, at);
  return { finding, contract: rows.find((row) => row.id === finding.contractId) ?? null };
}

/** The verdict as GET /customers/:id/entitlement answers it and a ticket stores it at intake. */
export async function findEntitlement(db: Db, input: { customerId: string; category: Category; at: number }): Promise<Entitlement> {
  const { finding, contract } = entitlingContract(await serviceContractsOf(db, input.customerId), input.category, input.at);
  const base = { customerId: input.customerId, category: input.category, at: new Date(input.at).toISOString(), entitled: finding.entitled, reason: finding.reason };
  if (!contract) return { ...base, contract: null };
  const callOffs = await db.select({ lines: contractCallOffs.lines }).from(contractCallOffs)
    .where(and(eq(contractCallOffs.contractId, contract.id), inArray(contractCallOffs.status, ['reserved', 'consumed'])));
  const remaining = remainingOf({ ...contract.terms, type: contract.type }, consumptionOf(callOffs));
  const sla = contract.particulars.sla ?? {};
  return {
    ...base,
    contract: {
      id: contract.id, validFrom: contract.validFrom.toISOString(), validTo: contract.validTo.toISOString(),
      coveredCategories: contract.particulars.coveredCategories ?? null,
      sla: { responseMultiplier: sla.responseMultiplier ?? null, resolutionMultiplier: sla.resolutionMultiplier ?? null },
      remaining: { value: fromCents(remaining.valueCents), quantities: remaining.quantities },
    },
  };
}
