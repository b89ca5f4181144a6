import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, patched, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Audience, NotificationData, NotificationKind } from '../domain/notifications';
import type { WithActor } from '../domain/processes/common';
import {
  activationConfirmed, carrierDelivered, orderOpened, orderState, orderUpdates, restocked,
  type OrderActionArgs, type OrderEventRecord, type OrderInput, type OrderLineRecord, type OrderView, type Reservation,
} from '../domain/processes/order';
import {
  activated, backordered, CARRIER, cancelled as cancelledOrder, carrierReported, completed, creditChecked, enter, goodsOf, invoiceIssued, openActivationTask,
  ORDER_PROCESS, orderDetails, orderFacts, orderRecord, orderSearchAttributes, orderView, paid, priced, PROVISIONING, receiveOrder, reserved, servicesOf,
  shipped, totalOf, waitingUntil, withTerms, activationConfirmed as confirmActivation, restocked as restock, type OrderProcess,
} from '../domain/processes/order-state';
import { formatDuration } from '../domain/duration';
import { addDays, dayOf, UTC } from '../domain/dates';
import { FailureType } from '../domain/failures';
import { fromCents, toCents } from '../domain/money';
import { checkCredit, orderRefusal, orderSummary, orderTermsFrom, type OrderAction } from '../domain/orders';
import { priceOrder } from '../domain/pricing';
import type { Actor } from '../domain/roles';
import { CrmCustomerId, CrmKind } from '../domain/search-attributes';
import type { Refusal } from '../domain/state-machine';
import { businessRuleFailure, createWriteQueue, processActivities, processEngine, refuse } from './common';

const activitiesOf = processActivities(['NotFound', FailureType.BusinessRule]);

const SYSTEM = ORDER_PROCESS;
const INVOICE_ON_DELIVERY = 'invoice-on-delivery';

type Message<A extends OrderAction> = WithActor<OrderActionArgs[A]> & {
  handled: boolean;
  dropped: boolean;
  /** The order as it stood right after acting on this message: the update's answer. */
  answer?: OrderView;
};
type Inbox = { [A in OrderAction]?: Message<A> };

/** How the order reached the next step: recorded on the transition that follows it. */
interface Via {
  action: string;
  actor: Actor;
  note: string | null;
  message?: Message<OrderAction>;
}

/** Unwinds the process to its compensations. */
class OrderCancelled extends Error {
  constructor(readonly via: Via, readonly refusal: ApplicationFailure | null = null) {
    super(via.note ?? 'cancelled');
  }
}

export async function orderWorkflow(input: OrderInput): Promise<OrderView> {
  const engine = processEngine();
  const {
    loadSettings, loadOrderQuote, loadCreditPosition, recordOrder, notify, reserveStock, releaseStock, recordPayment, refundPayment,
    issueInvoice, voidInvoice, recordShipment, recordDelivery, allocateServices, configureServices, requestActivation, activateServices, releaseServices,
    reserveCallOff, releaseCallOff, confirmCallOff,
  } = activitiesOf(engine);
  const workflowId = workflowInfo().workflowId;
  const orderId = input.number;
  // Days (price lists, call-off validity, the invoice's issue and due day) are the business time zone's.
  const zone = input.timeZone ?? UTC;
  const enqueue = createWriteQueue();

  // The order as the business sees it (domain/processes/order-state.ts); every transition below
  // replaces it and records the change.
  let order: OrderProcess = receiveOrder(Date.now());
  // Bookkeeping: events recorded, and whether the opening is answered (once the order is priced or refused).
  let seq = 0;
  let opened = false;
  let openingRefusal: ApplicationFailure | null = null;

  // Accepted human actions wait here until the process has acted on them.
  const inbox: Inbox = {};
  // Saga: each step that changes the world pushes its undo; a cancellation runs them in reverse.
  const compensations: Array<() => Promise<void>> = [];

  const goods = () => goodsOf(order);
  const services = () => servicesOf(order);
  const total = () => totalOf(order);

  function pending<A extends OrderAction>(action: A): Message<A> | null {
    const message = inbox[action] as Message<A> | undefined;
    return message && !message.handled && !message.dropped ? message : null;
  }

  const view = (actor?: Actor) => orderView(order, input, actor, (action) => pending(action) !== null);

  function showInTemporal(): void {
    engine.show(orderSearchAttributes(order));
    setCurrentDetails(orderDetails(order, input));
  }

  /** Applies a change, shows it in Temporal at once, and records it in the database in order. */
  async function transition(via: Via, change: (o: OrderProcess) => OrderProcess = (o) => o, newLines?: OrderLineRecord[]): Promise<void> {
    const from = order.status;
    order = change(order);
    const event: OrderEventRecord = {
      seq: seq++, action: via.action, actorId: via.actor.id, fromStatus: via.action === 'receive' ? null : from, toStatus: order.status, note: via.note, at: Date.now(),
    };
    showInTemporal();
    const record = orderRecord(order, input, workflowId);
    await enqueue(() => recordOrder({ order: record, event, lines: newLines }));
    if (via.message) {
      via.message.answer = view(via.message.actor);
      via.message.handled = true;
    }
  }

  /** `step` keeps the dedupe keys of the processes that ran before notification kinds existed. */
  function tell(step: string, kind: NotificationKind, audience: Audience, data: NotificationData): Promise<void> {
    return enqueue(() => notify({ dedupeKey: `${workflowId}:${step}`, kind, audience: [audience], resource: { type: 'order', id: orderId }, data: { number: orderId, ...data } }));
  }

  /** Waits for `ready`, at most `timeoutMs`; a cancellation accepted meanwhile unwinds to the compensations. */
  async function waitFor(ready: () => boolean, timeoutMs?: number): Promise<boolean> {
    const wake = () => ready() || pending('cancel') !== null;
    order = waitingUntil(order, timeoutMs === undefined ? null : Date.now() + timeoutMs);
    showInTemporal();
    engine.flush();
    const met = timeoutMs === undefined ? (await condition(wake), true) : await condition(wake, Math.max(1, timeoutMs));
    order = waitingUntil(order, null);
    const cancel = pending('cancel');
    if (cancel) throw new OrderCancelled({ action: 'cancel', actor: cancel.actor, note: cancel.reason, message: cancel as Message<OrderAction> });
    return met;
  }

  const timedOut = (what: string, ms: number) => new OrderCancelled({ action: 'timeout', actor: SYSTEM, note: `${what} within ${formatDuration(ms)}` });

  // ---- human actions and external events ---------------------------------------------------------
  function refusalOf(action: OrderAction, actor: Actor): Refusal | null {
    if (!order.terms) return { kind: 'invalid_state', message: 'the order is still being opened; try again in a moment', state: order.status, allowedActions: [] };
    const refused = orderRefusal(orderFacts(order, pending('cancel') !== null, input.actor.id), action, actor);
    if (refused || !pending(action)) return refused;
    return { kind: 'invalid_state', message: `a ${action} for this order is already being processed`, state: order.status, allowedActions: [] };
  }
  const guard = (action: OrderAction) => (args: WithActor) => refuse(refusalOf(action, args.actor));

  /** Hands an accepted action to the process and answers with the state it leads to. */
  async function accept<A extends OrderAction>(action: A, args: WithActor<OrderActionArgs[A]>): Promise<OrderView> {
    // Re-checked here: an update accepted in the same activation may have changed the picture.
    refuse(refusalOf(action, args.actor));
    const message = { ...args, handled: false, dropped: false } as Message<A>;
    (inbox as Record<A, Message<A>>)[action] = message;
    await condition(() => message.handled || message.dropped);
    if (message.dropped) refuse({ kind: 'invalid_state', message: `the order was ${order.status} before the ${action} could take effect`, state: order.status, allowedActions: [] });
    return message.answer!;
  }

  setHandler(orderUpdates['credit-decision'], (args) => accept('credit-decision', args), { validator: guard('credit-decision') });
  setHandler(orderUpdates.payments, (args) => accept('payments', args), {
    validator: (args) => {
      guard('payments')(args);
      if (toCents(args.amount) !== total()) throw businessRuleFailure(`the payment must equal the order total ${fromCents(total())}`, { total: fromCents(total()) });
    },
  });
  setHandler(orderUpdates.shipments, (args) => accept('shipments', args), { validator: guard('shipments') });
  setHandler(orderUpdates.delivered, (args) => accept('delivered', args), { validator: guard('delivered') });
  setHandler(orderUpdates['activation-report'], (args) => accept('activation-report', args), { validator: guard('activation-report') });
  setHandler(orderUpdates.cancel, (args) => accept('cancel', args), { validator: guard('cancel') });

  setHandler(orderOpened, async () => {
    await condition(() => opened);
    if (openingRefusal) throw openingRefusal;
    return view(input.actor);
  });
  setHandler(orderState, (actor) => view(actor));
  setHandler(restocked, () => void (order = restock(order)));
  setHandler(carrierDelivered, ({ trackingNo }) => void (order = carrierReported(order, trackingNo)));
  setHandler(activationConfirmed, () => void (order = confirmActivation(order)));

  // ---- the process -------------------------------------------------------------------------------
  order = withTerms(order, orderTermsFrom(await loadSettings()));
  const terms = order.terms!;
  engine.show([{ key: CrmKind, value: 'order' }, { key: CrmCustomerId, value: input.customerId }]);
  await transition({ action: 'receive', actor: input.actor, note: input.deliveryAddress ?? null });
  try {
    await price();
    let via = await clearCredit();
    via = await reserve(via);
    if (input.paymentTerms === 'prepaid' && total() > 0) via = await collectPrepayment();
    await fulfil(via);
  } catch (error) {
    if (!(error instanceof OrderCancelled)) throw error;
    await cancel(error);
  }
  await condition(allHandlersFinished);
  await enqueue(async () => undefined);
  engine.flush();
  return view();

  async function price(): Promise<void> {
    const quote = await loadOrderQuote({ customerId: input.customerId, lines: input.lines, on: dayOf(order.createdAt, zone) });
    const callOff = input.contractId ? await drawDown(input.contractId) : null;
    const pricedAt = callOff ? quote.lines.map((line) => ({ ...line, contractPriceCents: callOff.get(line.sku) ?? null })) : quote.lines;
    const pricing = priceOrder(pricedAt);
    const pricedLines = pricing.lines.map((line, i) => ({ ...line, kind: quote.lines[i]!.kind }));
    await transition({ action: 'price', actor: SYSTEM, note: `total ${fromCents(pricing.totalCents)}` }, (o) => priced(o, pricedLines, pricing.totalCents), pricedLines);
    opened = true;
    await tell('confirmation', 'order.confirmed', `customer:${input.customerId}`, { total: fromCents(total()) });
  }

  /**
   * A call-off reserves its draw-down on the contract (the activity locks the contract, so concurrent
   * orders can never exceed its target together, and draws it down by what the order charges) and is
   * priced at the contract's prices. The
   * reservation is released if the order is cancelled and consumed when it is fulfilled.
   */
  async function drawDown(contractId: string): Promise<Map<string, number>> {
    let reservation;
    try {
      reservation = await reserveCallOff({ orderId, contractId, customerId: input.customerId, lines: input.lines, on: dayOf(order.createdAt, zone) });
    } catch (error) {
      // A remote activity's refusal arrives wrapped in an ActivityFailure; a local activity's as it was thrown.
      const failure = error instanceof ActivityFailure ? error.cause : error;
      const refusal = failure instanceof ApplicationFailure && failure.type === FailureType.BusinessRule ? failure.message : null;
      if (!refusal) throw error;
      throw new OrderCancelled({ action: 'refuse', actor: SYSTEM, note: refusal }, businessRuleFailure(refusal, { errors: [{ path: '/contractId', message: refusal }] }));
    }
    compensations.push(() => releaseCallOff({ orderId }));
    // Priced from the contract's own price (the promotion applies once, in priceOrder); reservations
    // made before promotions counted in the draw-down carry only that price, as unitPriceCents.
    return new Map(reservation.lines.map((line) => [line.sku, line.contractUnitCents ?? line.unitPriceCents]));
  }

  /** Credit terms: within the limit the order goes on; beyond it, finance decides within the hold window. */
  async function clearCredit(): Promise<Via> {
    const passed: Via = { action: 'reserve', actor: SYSTEM, note: null };
    if (input.paymentTerms !== 'credit') return passed;
    // The activity records the order's commitment when it fits; arguments are not part of what replay
    // compares, so histories from before orderId and the total were passed still replay.
    const position = await loadCreditPosition({ customerId: input.customerId, orderId, orderTotalCents: total() });
    order = creditChecked(order, checkCredit({ ...position, orderTotalCents: total() }));
    const credit = order.credit!;
    if (credit.withinLimit) return { ...passed, note: `credit check passed: exposure ${fromCents(credit.exposureCents)} of ${fromCents(credit.limitCents)}` };
    await transition({ action: 'credit-hold', actor: SYSTEM, note: `exposure ${fromCents(credit.exposureCents)} exceeds the credit limit ${fromCents(credit.limitCents)}` }, (o) => enter(o, 'credit_hold'));
    await tell('credit-hold', 'order.credit_hold', 'role:finance', { total: fromCents(total()), customerId: input.customerId });
    if (!(await waitFor(() => pending('credit-decision') !== null, terms.creditHoldMs))) throw timedOut('no credit decision', terms.creditHoldMs);
    const decision = pending('credit-decision')!;
    const via: Via = { action: decision.approve ? 'credit-approve' : 'credit-reject', actor: decision.actor, note: decision.note ?? null, message: decision as Message<OrderAction> };
    if (!decision.approve) throw new OrderCancelled({ ...via, note: `credit rejected${decision.note ? `: ${decision.note}` : ''}` });
    return via;
  }

  /** Goods are held all together or not at all; short stock waits for a restock within the backorder window. */
  async function reserve(via: Via): Promise<Via> {
    const wanted = goods();
    if (wanted.length === 0) {
      await transition({ ...via, note: via.note ?? 'services only: nothing to take from stock' }, reserved);
      return { action: 'fulfil', actor: SYSTEM, note: null };
    }
    // Counted before each attempt: a restock that lands while an attempt runs must still wake the next wait.
    let seen = order.restocks;
    let result: Reservation = await reserveStock({ orderId, lines: wanted });
    compensations.push(() => releaseStock({ orderId }));
    if (!result.reserved) {
      const shortNote = (r: Extract<Reservation, { reserved: false }>) => r.short.map((s) => `${s.sku}: ${s.requested} wanted, ${s.available} available`).join('; ');
      const short = result.short.map((s) => s.sku);
      await transition({ ...via, note: shortNote(result) }, (o) => backordered(o, short));
      const deadline = Date.now() + terms.backorderMs;
      while (!result.reserved) {
        if (!(await waitFor(() => order.restocks !== seen, deadline - Date.now()))) throw timedOut('no restock', terms.backorderMs);
        seen = order.restocks;
        result = await reserveStock({ orderId, lines: wanted });
      }
      via = { action: 'restock', actor: SYSTEM, note: 'stock arrived' };
    }
    await transition(via, reserved);
    return { action: 'fulfil', actor: SYSTEM, note: null };
  }

  async function collectPrepayment(): Promise<Via> {
    await transition({ action: 'await-payment', actor: SYSTEM, note: `${fromCents(total())} due within ${formatDuration(terms.prepaidPaymentMs)}` }, (o) => enter(o, 'awaiting_payment'));
    if (!(await waitFor(() => pending('payments') !== null, terms.prepaidPaymentMs))) throw timedOut('no payment', terms.prepaidPaymentMs);
    const payment = pending('payments')!;
    const { paymentId } = await recordPayment({
      dedupeKey: `order:${orderId}:payment`, customerId: input.customerId, orderId, amountCents: total(), reference: payment.reference,
      receivedAt: Date.now(), recordedBy: payment.actor.id,
    });
    order = paid(order, paymentId);
    compensations.push(() => refundPayment({ paymentId }));
    return { action: 'payment', actor: payment.actor, note: payment.reference, message: payment as Message<OrderAction> };
  }

  async function fulfil(via: Via): Promise<void> {
    // SPEC §5: a credit order is invoiced when its last part is delivered or activated; until then its
    // credit commitment holds its room under the limit. Orders started before the patch were invoiced
    // on entering fulfilling, and finish that way.
    const onDelivery = patched(INVOICE_ON_DELIVERY);
    if (!onDelivery) await invoiceCredit(true);
    await transition(via, (o) => enter(o, 'fulfilling'));
    if (services().length > 0) await provision();
    if (goods().length > 0) await shipAndDeliver();
    if (onDelivery) await invoiceCredit(false);
    if (input.contractId) await confirmCallOff({ orderId });
    const { invoiceId, paymentId } = order;
    await transition({ action: 'invoice', actor: SYSTEM, note: invoiceId ? `invoice ${invoiceId}` : `paid with ${paymentId}` }, (o) => enter(o, 'invoiced'));
    if (invoiceId) await tell('invoice', 'order.invoiced', `customer:${input.customerId}`, { invoiceId, total: fromCents(total()), dueDays: terms.invoiceDueDays });
    await transition({ action: 'complete', actor: SYSTEM, note: null }, (o) => completed(o, Date.now()));
  }

  /** Issues a credit order's invoice dated today; `voidable` when a cancellation may still follow (the old path). */
  async function invoiceCredit(voidable: boolean): Promise<void> {
    if (input.paymentTerms !== 'credit' || total() === 0) return;
    const issuedOn = dayOf(Date.now(), zone);
    const { invoiceId } = await issueInvoice({
      dedupeKey: `order:${orderId}`, customerId: input.customerId, orderId, amountCents: total(), issuedOn, dueOn: addDays(issuedOn, terms.invoiceDueDays),
      description: orderSummary({ number: orderId, lineCount: order.lines.length, totalCents: total(), paymentTerms: input.paymentTerms }),
    });
    order = invoiceIssued(order, invoiceId);
    if (voidable) compensations.push(() => voidInvoice({ invoiceId }));
  }

  /** Allocate, configure, activate; an activation nobody confirms in time becomes a human's task, not a failure. */
  async function provision(): Promise<void> {
    await transition({ action: 'provision', actor: SYSTEM, note: null }, (o) => enter(o, 'provisioning'));
    compensations.push(() => releaseServices({ orderId }));
    await allocateServices({ orderId, lines: services() });
    await configureServices({ orderId });
    await requestActivation({ orderId });
    const confirmed = () => order.activationConfirmed || pending('activation-report') !== null;
    if (!(await waitFor(confirmed, terms.activationMs))) {
      await transition({ action: 'activation-task', actor: SYSTEM, note: `activation not confirmed within ${formatDuration(terms.activationMs)}; report it by hand` }, openActivationTask);
      await tell('activation-task', 'order.activation_requested', 'role:fulfilment', {});
      await waitFor(confirmed);
    }
    const report = pending('activation-report');
    const actor = report?.actor ?? PROVISIONING;
    await activateServices({ orderId, activatedBy: actor.id });
    if (goods().length === 0) await collectCashOnDelivery(actor);
    await transition({
      action: report ? 'activation-report' : 'activate', actor, note: report ? (report.note ?? null) : 'confirmed by the provisioning platform',
      message: report as Message<OrderAction> | undefined,
    }, activated);
  }

  async function shipAndDeliver(): Promise<void> {
    await waitFor(() => pending('shipments') !== null);
    const request = pending('shipments')!;
    await recordShipment({ orderId, carrier: request.carrier, trackingNo: request.trackingNo, shippedBy: request.actor.id, at: Date.now() });
    await transition({ action: 'ship', actor: request.actor, note: `${request.carrier} ${request.trackingNo}`, message: request as Message<OrderAction> },
      (o) => shipped(o, { carrier: request.carrier, trackingNo: request.trackingNo }));
    await waitFor(() => order.carrierDelivered || pending('delivered') !== null);
    const report = pending('delivered');
    const actor = report?.actor ?? CARRIER;
    await recordDelivery({ orderId, deliveredBy: actor.id, at: Date.now() });
    await collectCashOnDelivery(actor);
    await transition({ action: 'deliver', actor, note: report ? null : 'reported by the carrier', message: report as Message<OrderAction> | undefined }, (o) => enter(o, 'delivered'));
  }

  async function collectCashOnDelivery(actor: Actor): Promise<void> {
    if (input.paymentTerms !== 'cod' || total() === 0) return;
    const { shipment } = order;
    const { paymentId } = await recordPayment({
      dedupeKey: `order:${orderId}:payment`, customerId: input.customerId, orderId, amountCents: total(),
      reference: shipment ? `COD ${shipment.carrier} ${shipment.trackingNo}` : `COD ${orderId}`, receivedAt: Date.now(), recordedBy: actor.id,
    });
    order = paid(order, paymentId);
  }

  /** Runs the compensations in reverse; each is idempotent and retried until it lands. */
  async function cancel(cancelled: OrderCancelled): Promise<void> {
    for (const compensate of compensations.reverse()) await compensate();
    openingRefusal = cancelled.refusal;
    await transition(cancelled.via, (o) => cancelledOrder(o, cancelled.message, Date.now()));
    opened = true;
    for (const message of Object.values(inbox)) if (!message.handled) message.dropped = true;
    if (!cancelled.refusal) await tell('cancelled', 'order.cancelled', `customer:${input.customerId}`, { reason: cancelled.message });
  }
}
