import { sql } from 'drizzle-orm';
import { formatNumber } from '../domain/ids';
import type { Tx } from './client';

/** The next business number from a sequence, e.g. INV-2026-000042. */
export async function nextNumber(tx: Tx, sequence: 'invoice_seq' | 'payment_seq', prefix: string, year: number): Promise<string> {
  const [{ seq }] = (await tx.execute(sql`select nextval(${sequence}::regclass)::int as seq`)) as unknown as [{ seq: number }];
  return formatNumber(prefix, year, seq);
}
