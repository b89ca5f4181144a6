// Human resource numbers (SPEC §2): `T-2026-000123`; the workflow id is derived from it so the
// Temporal UI and the database name the same thing.
export type NumberedKind = 'ticket' | 'order' | 'contract' | 'return' | 'invoice' | 'incident';

export function formatNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(6, '0')}`;
}

export function workflowIdFor(kind: Exclude<NumberedKind, 'invoice'>, number: string): string {
  return `${kind}-${number}`;
}

/** Customers are numbered without a year and not configurably: `CUS-000001`, the default of `customers.id` (db/schema/customers.ts). */
export const CUSTOMER_PREFIX = 'CUS';
