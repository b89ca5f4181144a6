import { issueInvoice, voidInvoice, type IssueInvoiceInput } from '../db/invoices';
import { recordPayment, refundPayment, type RecordPaymentInput } from '../db/payments';
import type { ActivityDeps } from './deps';

export type { IssueInvoiceInput } from '../db/invoices';
export type { RecordPaymentInput } from '../db/payments';

// Shared by the order and contract processes: invoices are numbered INV-YYYY-NNNNNN and issued once per event.
export function createInvoiceActivities({ db, config }: ActivityDeps) {
  return {
    async issueInvoice(input: IssueInvoiceInput): Promise<{ invoiceId: string }> {
      return issueInvoice(db, config.idPrefixes.invoice, input);
    },

    /** Compensation: an unpaid invoice is voided; voiding twice is a no-op. */
    async voidInvoice(input: { invoiceId: string }): Promise<void> {
      await voidInvoice(db, input.invoiceId);
    },

    /** Records money received once per event; a retry answers with the same payment. */
    async recordPayment(input: RecordPaymentInput): Promise<{ paymentId: string }> {
      return recordPayment(db, input);
    },

    /** Compensation: the money goes back; refunding twice is a no-op. */
    async refundPayment(input: { paymentId: string }): Promise<void> {
      await refundPayment(db, input.paymentId);
    },
  };
}
