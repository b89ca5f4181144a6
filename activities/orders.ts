import { ApplicationFailure } from '@temporalio/activity';
import {
  activateServices, allocateServices, checkCreditAndCommit, configureServices, loadOrderQuote, recordDelivery, recordOrder, recordShipment,
  releaseServices, requestActivation, type OrderQuote,
} from '../db/orders';
import { releaseStock, reserveStock } from '../db/stock';
import { FailureType } from '../domain/failures';
import type { OrderEventRecord, OrderLineRecord, OrderRecord, Reservation, StockLine } from '../domain/processes/order';
import type { ActivityDeps } from './deps';

export type { OrderQuote, QuoteLine } from '../db/orders';

export function createOrderActivities({ db }: ActivityDeps) {
  return {
    /** Prices' inputs as of the order date; unknown customer or sku is a business refusal. */
    async loadOrderQuote(input: { customerId: string; lines: StockLine[]; on: string }): Promise<OrderQuote> {
      const quote = await loadOrderQuote(db, input);
      if ('problems' in quote) {
        throw ApplicationFailure.create({ type: FailureType.BusinessRule, message: quote.problems.map((p) => p.message).join('; '), details: [{ errors: quote.problems }], nonRetryable: true });
      }
      return quote;
    },

    // Keeps its old name (committed workflow histories schedule `loadCreditPosition`), though it also commits the credit.
    async loadCreditPosition(input: { customerId: string; orderId: string; orderTotalCents: number }): Promise<{ limitCents: number; openReceivablesCents: number }> {
      return checkCreditAndCommit(db, input);
    },

    /** The order row, its event and (once priced) its lines, once per (order, seq). */
    async recordOrder(input: { order: OrderRecord; event: OrderEventRecord; lines?: OrderLineRecord[] }): Promise<void> {
      await recordOrder(db, input);
    },

    /** All lines or none; short lines are marked waiting so a restock can wake this order (db/stock.ts). */
    async reserveStock(input: { orderId: string; lines: StockLine[] }): Promise<Reservation> {
      return reserveStock(db, input.orderId, input.lines);
    },

    /** Compensation: gives held stock back and stops waiting for a restock; releasing twice is a no-op. */
    async releaseStock(input: { orderId: string }): Promise<void> {
      await releaseStock(db, input.orderId);
    },

    /** The parcel leaves: the shipment is recorded and the held stock leaves the shelf, once. */
    async recordShipment(input: { orderId: string; carrier: string; trackingNo: string; shippedBy: string; at: number }): Promise<void> {
      await recordShipment(db, input);
    },

    async recordDelivery(input: { orderId: string; deliveredBy: string; at: number }): Promise<void> {
      await recordDelivery(db, input);
    },

    // Services are provisioned in three steps; each moves only lines still at the step before it.
    async allocateServices(input: { orderId: string; lines: StockLine[] }): Promise<void> {
      await allocateServices(db, input.orderId, input.lines);
    },
    async configureServices(input: { orderId: string }): Promise<void> {
      await configureServices(db, input.orderId);
    },
    async requestActivation(input: { orderId: string }): Promise<void> {
      await requestActivation(db, input.orderId);
    },
    async activateServices(input: { orderId: string; activatedBy: string }): Promise<void> {
      await activateServices(db, input.orderId, input.activatedBy);
    },
    /** Compensation: services not yet live are handed back. */
    async releaseServices(input: { orderId: string }): Promise<void> {
      await releaseServices(db, input.orderId);
    },
  };
}
