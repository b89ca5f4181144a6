import { remindOverdueInvoices } from '../db/invoices';
import { dayOf } from '../domain/dates';
import { receivePayment, type PaymentOutcome, type ReceivePaymentInput } from '../db/payments';
import type { ActivityDeps } from './deps';
import { notificationOutlet } from './notifications';

export type { PaymentOutcome, ReceivePaymentInput } from '../db/payments';

export function createPaymentActivities(deps: ActivityDeps) {
  const { db, config } = deps;
  const outlet = notificationOutlet(deps);
  return {
    /** Records a customer payment and allocates it to open invoices, oldest due first (db/payments.ts). */
    async receivePayment(input: Omit<ReceivePaymentInput, 'timeZone'>): Promise<PaymentOutcome> {
      return receivePayment(db, { ...input, timeZone: config.business.timeZone });
    },

    /** The dunning sweep: one reminder per overdue invoice, once (db/invoices.ts); by default as of today in the business time zone. */
    async remindOverdueInvoices(input: { asOf?: string }): Promise<number> {
      const { reminded, waiting } = await remindOverdueInvoices(db, input.asOf ?? dayOf(Date.now(), config.business.timeZone), outlet.channels);
      await outlet.handOver(waiting);
      return reminded;
    },
  };
}
