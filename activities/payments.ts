import { remindOverdueInvoices } from '../db/invoices';
import { receivePayment, type PaymentOutcome, type ReceivePaymentInput } from '../db/payments';
import type { ActivityDeps } from './deps';
import { notificationOutlet } from './notifications';

export type { PaymentOutcome, ReceivePaymentInput } from '../db/payments';

export function createPaymentActivities(deps: ActivityDeps) {
  const { db } = deps;
  const outlet = notificationOutlet(deps);
  return {
    /** Records a customer payment and allocates it to open invoices, oldest due first (db/payments.ts). */
    async receivePayment(input: ReceivePaymentInput): Promise<PaymentOutcome> {
      return receivePayment(db, input);
    },

    /** The dunning sweep: one reminder per overdue invoice, once (db/invoices.ts). */
    async remindOverdueInvoices(input: { asOf: string }): Promise<number> {
      const { reminded, waiting } = await remindOverdueInvoices(db, input.asOf, outlet.channels);
      await outlet.handOver(waiting);
      return reminded;
    },
  };
}
