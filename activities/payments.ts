import { remindOverdueInvoices } from '../db/invoices';
import { receivePayment, type PaymentOutcome, type ReceivePaymentInput } from '../db/payments';
import type { ActivityDeps } from './deps';

export type { PaymentOutcome, ReceivePaymentInput } from '../db/payments';

export function createPaymentActivities({ db }: ActivityDeps) {
  return {
    /** Records a customer payment and allocates it to open invoices, oldest due first (db/payments.ts). */
    async receivePayment(input: ReceivePaymentInput): Promise<PaymentOutcome> {
      return receivePayment(db, input);
    },

    /** The dunning sweep: one reminder per overdue invoice, once (db/invoices.ts). */
    async remindOverdueInvoices(input: { asOf: string }): Promise<number> {
      return remindOverdueInvoices(db, input.asOf);
    },
  };
}
