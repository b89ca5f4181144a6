import type { ContractSla } from './sla';
import type { Category } from './tickets';

// Entitlement (issue 17 §4): does a customer calling about a category have an active service contract
// covering it at that moment? A service contract is one that carries its own SLA (SPEC §4); it covers the
// categories it names, or every category when it names none. The first line still takes the call when
// the answer is no: the verdict is stored on the ticket, it refuses nothing.

export const ENTITLEMENT_REASONS = ['covered', 'no_service_contract', 'category_not_covered', 'not_yet_valid', 'expired'] as const;
export type EntitlementReason = (typeof ENTITLEMENT_REASONS)[number];

/** What the verdict needs to know of each of the customer's service contracts (epoch ms). */
export interface ServiceContractFacts {
  id: string;
  /** When it became active; null for one never activated (drafts, awaiting approval or signature). */
  activatedAt: number | null;
  validFrom: number;
  validTo: number;
  /** When it ended early or on time (expired, terminated, completed); null while it runs. */
  endedAt: number | null;
  coveredCategories: readonly Category[] | null;
  sla: ContractSla;
}

export interface EntitlementFinding {
  entitled: boolean;
  reason: EntitlementReason;
  /** The contract that entitles; without entitlement, the one that explains why not (expired, not covering), if any. */
  contractId: string | null;
}

/** Whether the contract covers the category; a null category (a caller that names none) asks for any cover. */
export const covers = (c: Pick<ServiceContractFacts, 'coveredCategories'>, category: Category | null): boolean =>
  category === null || !c.coveredCategories || c.coveredCategories.length === 0 || c.coveredCategories.includes(category);

/** In force at `at`: activated by then, within its validity, and not ended before. */
export const inForceAt = (c: ServiceContractFacts, at: number): boolean =>
  c.activatedAt !== null && c.activatedAt <= at && c.validFrom <= at && at < Math.min(c.validTo, c.endedAt ?? Infinity);

const endOf = (c: ServiceContractFacts) => Math.min(c.validTo, c.endedAt ?? Infinity);

/**
 * The verdict for `category` at `at`. Several contracts entitling: the most recently activated wins (the
 * same rule that picks the SLA at intake). Without one, the reason names the nearest miss: a contract that
 * covers the category but has ended (`expired`) or has not started (`not_yet_valid`), else one in force
 * that does not cover it, else none at all.
 */
export function entitlementVerdict(contracts: readonly ServiceContractFacts[], category: Category | null, at: number): EntitlementFinding {
  const covering = contracts.filter((c) => covers(c, category));
  const entitling = covering.filter((c) => inForceAt(c, at)).sort((a, b) => b.activatedAt! - a.activatedAt!)[0];
  if (entitling) return { entitled: true, reason: 'covered', contractId: entitling.id };
  const ended = covering.filter((c) => c.activatedAt !== null && c.activatedAt <= at && endOf(c) <= at).sort((a, b) => endOf(b) - endOf(a))[0];
  if (ended) return { entitled: false, reason: 'expired', contractId: ended.id };
  const ahead = covering.filter((c) => at < Math.max(c.validFrom, c.activatedAt ?? c.validFrom) && at < endOf(c)).sort((a, b) => a.validFrom - b.validFrom)[0];
  if (ahead) return { entitled: false, reason: 'not_yet_valid', contractId: ahead.id };
  const other = contracts.find((c) => inForceAt(c, at));
  if (other) return { entitled: false, reason: 'category_not_covered', contractId: other.id };
  return { entitled: false, reason: 'no_service_contract', contractId: null };
}

/** The verdict as the API answers it and as a ticket keeps it from intake. */
export interface Entitlement {
  customerId: string;
  category: Category;
  at: string;
  entitled: boolean;
  reason: EntitlementReason;
  contract: {
    id: string;
    validFrom: string;
    validTo: string;
    coveredCategories: Category[] | null;
    sla: { responseMultiplier: number | null; resolutionMultiplier: number | null };
    /** What is left to call off now (not as of `at`): the target value, and per sku for a quantity contract. */
    remaining: { value: string; quantities: Array<{ sku: string; qty: number }> | null };
  } | null;
}
