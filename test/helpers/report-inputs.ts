import { sql } from 'drizzle-orm';
import { addDays } from '../../domain/dates';
import type { Harness } from './harness';
import { uniq } from './harness';

// Rows written straight into the database, for report and cockpit inputs a real run would need days or
// months to produce (an invoice 45 days overdue) or that no process writes yet (contract call-offs).
export function reportInputs(h: Harness) {
  const db = h.database.db;
  return {
    async invoice(customerId: string, options: { amount: string; dueOn: string; issuedOn?: string; status?: 'open' | 'paid' | 'void'; paidAmount?: string }) {
      const id = `INV-T-${uniq()}`;
      await db.execute(sql`insert into invoices (id, dedupe_key, customer_id, description, amount, issued_on, due_on, status, paid_amount)
        values (${id}, ${`test:${id}`}, ${customerId}, 'test invoice', ${options.amount}, ${options.issuedOn ?? addDays(options.dueOn, -30)}, ${options.dueOn},
                ${options.status ?? 'open'}, ${options.paidAmount ?? '0.00'})`);
      return id;
    },
    async callOff(contract: { id: string; customerId: string }, status: 'reserved' | 'consumed' | 'released', total: string) {
      await db.execute(sql`insert into contract_call_offs (order_id, contract_id, customer_id, status, lines, total, called_on)
        values (${`SO-T-${uniq()}`}, ${contract.id}, ${contract.customerId}, ${status}, '[]'::jsonb, ${total}, current_date)`);
    },
  };
}
