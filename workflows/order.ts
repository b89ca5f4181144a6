import {
  ActivityFailure, allHandlersFinished, ApplicationFailure, condition, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { WithActor } from '../domain/processes/common';
import {
  activationConfirmed, carrierDelivered, orderOpened, orderState, orderUpdates, restocked,
  type OrderActionArgs, type OrderEventRecord, type OrderInput, type OrderLineRecord, type OrderRecord, type OrderView, type Reservation,
} from '../domain/processes/order';
import { formatDuration } from '../domain/duration';
import { addDays, dayOf } from '../domain/dates';
import { FailureType } from '../domain/failures';
import { fromCents, toCents } from '../domain/money';
import {
  checkCredit, orderActions, orderRefusal, orderSummary, orderTermsFrom,
  type CreditCheck, type OrderAction, type OrderState, type OrderTerms,
} from '../domain/orders';
import { priceOrder } from '../domain/pricing';
import type { Actor } from '../domain/roles';
import { CrmAmount, CrmCustomerId, CrmDueAt, CrmKind, CrmStatus } from '../domain/search-attributes';
import type { Refusal } from '../domain/state-machine';
import { businessRuleFailure, createWriteQueue, refuse } from './common';

const {
  loadSettings, loadOrderQuote, loadCreditPosition, recordOrder, notify, reserveStock, releaseStock, recordPayment, refundPayment,
  issueInvoice, voidInvoice, recordShipment, recordDelivery, allocateServices, configureServices, requestActivation, activateServices, releaseServices,
  reserveCallOff, releaseCallOff, confirmCallOff,
} = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // A database outage must delay the write, never lose it: retry until it lands.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['NotFound', FailureType.BusinessRule] },
});

const SYSTEM: Actor = { id: 'system', name: 'Order process', roles: [] };
const CARRIER: Actor = { id: 'carrier', name: 'Carrier webhook', roles: ['fulfilment'] };
const PROVISIONING: Actor = { id: 'provisioning', name: 'Provisioning platform', roles: ['fulfilment'] };

const WAITING_FOR: Partial<Record<OrderState, string>> = {
  credit_hold: 'a finance credit decision',
  backordered: 'a restock',
  awaiting_payment: 'the prepayment',
  fulfilling: 'the shipment',
  provisioning: 'service activation',
  activated: 'the shipment',
  shipped: 'delivery',
};

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
  const workflowId = workflowInfo().workflowId;
  const orderId = input.number;
  const enqueue = createWriteQueue();
  const createdAt = Date.now();
  let seq = 0;
  let terms: OrderTerms | null = null;

  // The order as the business sees it; every transition below changes these and records the change.
  let status: OrderState = 'received';
  let lines: OrderLineRecord[] = [];
  let totalCents: number | null = null;
  let credit: CreditCheck | null = null;
  let backorderedSkus: string[] = [];
  let invoiceId: string | null = null;
  let paymentId: string | null = null;
  let shipment: { carrier: string; trackingNo: string } | null = null;
  let activationReportOpen = false;
  let waitingUntil: number | null = null;
  let cancelReason: string | null = null;
  let closedAt: number | null = null;
  // Intake ends once the order is priced or refused; POST /orders answers then.
  let intakeDone = false;
  let intakeRefusal: ApplicationFailure | null = null;

  // Accepted human actions wait here until the process has acted on them; external events set flags.
  const inbox: Inbox = {};
  let restocks = 0;
  let carrierDelivery = false;
  let activationConfirmedByPlatform = false;
  // Saga: each step that changes the world pushes its undo; a cancellation runs them in reverse.
  const compensations: Array<() => Promise<void>> = [];

  const goods = () => lines.filter((line) => line.kind === 'goods').map(({ sku, qty }) => ({ sku, qty }));
  const services = () => lines.filter((line) => line.kind === 'service').map(({ sku, qty }) => ({ sku, qty }));
  const facts = () => ({ state: status, hasGoods: goods().length > 0, hasServices: services().length > 0, cancelling: pending('cancel') !== null });
  const total = () => totalCents ?? 0;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  function pending<A extends OrderAction>(action: A): Message<A> | null {
    const message = inbox[action] as Message<A> | undefined;
    return message && !message.handled && !message.dropped ? message : null;
  }

  function view(actor?: Actor): OrderView {
    return {
      id: orderId, status, customerId: input.customerId, paymentTerms: input.paymentTerms, contractId: input.contractId ?? null,
      total: totalCents === null ? null : fromCents(totalCents),
      lines: lines.map((line) => ({
        sku: line.sku, kind: line.kind, qty: line.qty, priceRule: line.rule, promotionId: line.promotionId,
        unitPrice: fromCents(line.unitPriceCents), lineTotal: fromCents(line.lineTotalCents),
      })),
      credit: credit ? { withinLimit: credit.withinLimit, exposure: fromCents(credit.exposureCents), limit: fromCents(credit.limitCents) } : null,
      backorderedSkus, invoiceId, paymentId, shipment, activationReportOpen, waitingUntil: iso(waitingUntil), cancelReason,
      allowedActions: actor ? orderActions(facts(), actor).filter((action) => !pending(action)) : [],
    };
  }

  function record(): OrderRecord {
    return {
      id: orderId, workflowId, customerId: input.customerId, paymentTerms: input.paymentTerms, contractId: input.contractId ?? null,
      deliveryAddress: input.deliveryAddress ?? null, status, totalCents, invoiceId, paymentId, cancelReason, createdBy: input.actor.id, createdAt, closedAt,
    };
  }

  function showInTemporal(): void {
    upsertSearchAttributes([
      { key: CrmStatus, value: status },
      { key: CrmAmount, value: totalCents === null ? null : totalCents / 100 },
      { key: CrmDueAt, value: waitingUntil === null ? null : new Date(waitingUntil) },
    ]);
    const waitingFor = WAITING_FOR[status];
    const wait = activationReportOpen ? 'a manual activation report' : waitingFor;
    setCurrentDetails([
      `**${status}**`,
      totalCents === null ? null : `total ${fromCents(totalCents)} (${input.paymentTerms})`,
      wait ? `waiting for ${wait}${waitingUntil ? ` until ${iso(waitingUntil)}` : ''}` : null,
      backorderedSkus.length ? `short: ${backorderedSkus.join(', ')}` : null,
    ].filter(Boolean).join(' · '));
  }

  /** Applies a change, shows it in Temporal at once, and records it in the database in order. */
  async function transition(via: Via, change: () => void, newLines?: OrderLineRecord[]): Promise<void> {
    const from = status;
    change();
    const event: OrderEventRecord = {
      seq: seq++, action: via.action, actorId: via.actor.id, fromStatus: via.action === 'receive' ? null : from, toStatus: status, note: via.note, at: Date.now(),
    };
    showInTemporal();
    const order = record();
    await enqueue(() => recordOrder({ order, event, lines: newLines }));
    if (via.message) {
      via.message.answer = view(via.message.actor);
      via.message.handled = true;
    }
  }

  function tell(kind: string, channel: 'queue' | 'customer', recipient: string, subject: string, body: string): Promise<void> {
    return enqueue(() => notify({ dedupeKey: `${workflowId}:${kind}`, channel, recipient, subject, body, resourceType: 'order', resourceId: orderId }));
  }

  /** Waits for `ready`, at most `timeoutMs`; a cancellation accepted meanwhile unwinds to the compensations. */
  async function waitFor(ready: () => boolean, timeoutMs?: number): Promise<boolean> {
    const wake = () => ready() || pending('cancel') !== null;
    waitingUntil = timeoutMs === undefined ? null : Date.now() + timeoutMs;
    showInTemporal();
    const met = timeoutMs === undefined ? (await condition(wake), true) : await condition(wake, Math.max(1, timeoutMs));
    waitingUntil = null;
    const cancel = pending('cancel');
    if (cancel) throw new OrderCancelled({ action: 'cancel', actor: cancel.actor, note: cancel.reason, message: cancel as Message<OrderAction> });
    return met;
  }

  const timedOut = (what: string, ms: number) => new OrderCancelled({ action: 'timeout', actor: SYSTEM, note: `${what} within ${formatDuration(ms)}` });

  // ---- human actions and external events ---------------------------------------------------------
  function refusalOf(action: OrderAction, actor: Actor): Refusal | null {
    if (!terms) return { kind: 'invalid_state', message: 'the order is still being opened; try again in a moment', state: status, allowedActions: [] };
    const refused = orderRefusal(facts(), action, actor);
    if (refused || !pending(action)) return refused;
    return { kind: 'invalid_state', message: `a ${action} for this order is already being processed`, state: status, allowedActions: [] };
  }
  const guard = (action: OrderAction) => (args: WithActor) => refuse(refusalOf(action, args.actor));

  /** Hands an accepted action to the process and answers with the state it leads to. */
  async function accept<A extends OrderAction>(action: A, args: WithActor<OrderActionArgs[A]>): Promise<OrderView> {
    // Re-checked here: an update accepted in the same activation may have changed the picture.
    refuse(refusalOf(action, args.actor));
    const message = { ...args, handled: false, dropped: false } as Message<A>;
    (inbox as Record<A, Message<A>>)[action] = message;
    await condition(() => message.handled || message.dropped);
    if (message.dropped) refuse({ kind: 'invalid_state', message: `the order was ${status} before the ${action} could take effect`, state: status, allowedActions: [] });
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
    await condition(() => intakeDone);
    if (intakeRefusal) throw intakeRefusal;
    return view(input.actor);
  });
  setHandler(orderState, (actor) => view(actor));
  setHandler(restocked, () => void restocks++);
  setHandler(carrierDelivered, ({ trackingNo }) => {
    if (shipment?.trackingNo === trackingNo) carrierDelivery = true;
  });
  setHandler(activationConfirmed, () => {
    activationConfirmedByPlatform = true;
  });

  // ---- the process -------------------------------------------------------------------------------
  terms = orderTermsFrom(await loadSettings());
  upsertSearchAttributes([{ key: CrmKind, value: 'order' }, { key: CrmCustomerId, value: input.customerId }]);
  await transition({ action: 'receive', actor: input.actor, note: input.deliveryAddress ?? null }, () => {});
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
  return view();

  async function price(): Promise<void> {
    const quote = await loadOrderQuote({ customerId: input.customerId, lines: input.lines, on: dayOf(createdAt) });
    const callOff = input.contractId ? await drawDown(input.contractId) : null;
    const pricedAt = callOff ? quote.lines.map((line) => ({ ...line, contractPriceCents: callOff.get(line.sku) ?? null })) : quote.lines;
    const priced = priceOrder(pricedAt);
    const pricedLines = priced.lines.map((line, i) => ({ ...line, kind: quote.lines[i]!.kind }));
    await transition({ action: 'price', actor: SYSTEM, note: `total ${fromCents(priced.totalCents)}` }, () => {
      status = 'priced';
      lines = pricedLines;
      totalCents = priced.totalCents;
    }, pricedLines);
    intakeDone = true;
    await tell('confirmation', 'customer', input.customerId, `Order ${orderId} received`,
      `${orderSummary({ number: orderId, lineCount: lines.length, totalCents: total(), paymentTerms: input.paymentTerms })}. We will keep you posted.`);
  }

  /**
   * A call-off reserves its draw-down on the contract (the activity locks the contract, so concurrent
   * orders can never exceed its target together) and is priced at the contract's prices. The
   * reservation is released if the order is cancelled and consumed when it is fulfilled.
   */
  async function drawDown(contractId: string): Promise<Map<string, number>> {
    let reservation;
    try {
      reservation = await reserveCallOff({ orderId, contractId, customerId: input.customerId, lines: input.lines, on: dayOf(createdAt) });
    } catch (error) {
      const refusal = error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === FailureType.BusinessRule ? error.cause.message : null;
      if (!refusal) throw error;
      throw new OrderCancelled({ action: 'refuse', actor: SYSTEM, note: refusal }, businessRuleFailure(refusal, { errors: [{ path: '/contractId', message: refusal }] }));
    }
    compensations.push(() => releaseCallOff({ orderId }));
    return new Map(reservation.lines.map((line) => [line.sku, line.unitPriceCents]));
  }

  /** Credit terms: within the limit the order goes on; beyond it, finance decides within the hold window. */
  async function clearCredit(): Promise<Via> {
    const passed: Via = { action: 'reserve', actor: SYSTEM, note: null };
    if (input.paymentTerms !== 'credit') return passed;
    // The activity records the order's commitment when it fits; arguments are not part of what replay
    // compares, so histories from before orderId and the total were passed still replay.
    const position = await loadCreditPosition({ customerId: input.customerId, orderId, orderTotalCents: total() });
    credit = checkCredit({ ...position, orderTotalCents: total() });
    if (credit.withinLimit) return { ...passed, note: `credit check passed: exposure ${fromCents(credit.exposureCents)} of ${fromCents(credit.limitCents)}` };
    await transition({ action: 'credit-hold', actor: SYSTEM, note: `exposure ${fromCents(credit.exposureCents)} exceeds the credit limit ${fromCents(credit.limitCents)}` }, () => {
      status = 'credit_hold';
    });
    await tell('credit-hold', 'queue', 'finance', `Credit hold: order ${orderId}`, `Order ${orderId} (${fromCents(total())}) exceeds the credit limit of ${input.customerId}; approve or reject it.`);
    if (!(await waitFor(() => pending('credit-decision') !== null, terms!.creditHoldMs))) throw timedOut('no credit decision', terms!.creditHoldMs);
    const decision = pending('credit-decision')!;
    const via: Via = { action: decision.approve ? 'credit-approve' : 'credit-reject', actor: decision.actor, note: decision.note ?? null, message: decision as Message<OrderAction> };
    if (!decision.approve) throw new OrderCancelled({ ...via, note: `credit rejected${decision.note ? `: ${decision.note}` : ''}` });
    return via;
  }

  /** Goods are held all together or not at all; short stock waits for a restock within the backorder window. */
  async function reserve(via: Via): Promise<Via> {
    const wanted = goods();
    if (wanted.length === 0) {
      await transition({ ...via, note: via.note ?? 'services only: nothing to take from stock' }, () => { status = 'reserved'; });
      return { action: 'fulfil', actor: SYSTEM, note: null };
    }
    // Counted before each attempt: a restock that lands while an attempt runs must still wake the next wait.
    let seen = restocks;
    let result: Reservation = await reserveStock({ orderId, lines: wanted });
    compensations.push(() => releaseStock({ orderId }));
    if (!result.reserved) {
      const shortNote = (r: Extract<Reservation, { reserved: false }>) => r.short.map((s) => `${s.sku}: ${s.requested} wanted, ${s.available} available`).join('; ');
      await transition({ ...via, note: shortNote(result) }, () => {
        status = 'backordered';
        backorderedSkus = result.reserved ? [] : result.short.map((s) => s.sku);
      });
      const deadline = Date.now() + terms!.backorderMs;
      while (!result.reserved) {
        if (!(await waitFor(() => restocks !== seen, deadline - Date.now()))) throw timedOut('no restock', terms!.backorderMs);
        seen = restocks;
        result = await reserveStock({ orderId, lines: wanted });
      }
      via = { action: 'restock', actor: SYSTEM, note: 'stock arrived' };
    }
    await transition(via, () => {
      status = 'reserved';
      backorderedSkus = [];
    });
    return { action: 'fulfil', actor: SYSTEM, note: null };
  }

  async function collectPrepayment(): Promise<Via> {
    await transition({ action: 'await-payment', actor: SYSTEM, note: `${fromCents(total())} due within ${formatDuration(terms!.prepaidPaymentMs)}` }, () => {
      status = 'awaiting_payment';
    });
    if (!(await waitFor(() => pending('payments') !== null, terms!.prepaidPaymentMs))) throw timedOut('no payment', terms!.prepaidPaymentMs);
    const payment = pending('payments')!;
    paymentId = (await recordPayment({
      dedupeKey: `order:${orderId}:payment`, customerId: input.customerId, orderId, amountCents: total(), reference: payment.reference,
      receivedAt: Date.now(), recordedBy: payment.actor.id,
    })).paymentId;
    compensations.push(() => refundPayment({ paymentId: paymentId! }));
    return { action: 'payment', actor: payment.actor, note: payment.reference, message: payment as Message<OrderAction> };
  }

  async function fulfil(via: Via): Promise<void> {
    if (input.paymentTerms === 'credit' && total() > 0) {
      // Invoiced as the goods are committed, so the receivable counts against the customer's credit
      // limit from now on; a cancellation before shipment voids it.
      const issuedOn = dayOf(Date.now());
      invoiceId = (await issueInvoice({
        dedupeKey: `order:${orderId}`, customerId: input.customerId, orderId, amountCents: total(), issuedOn, dueOn: addDays(issuedOn, terms!.invoiceDueDays),
        description: orderSummary({ number: orderId, lineCount: lines.length, totalCents: total(), paymentTerms: input.paymentTerms }),
      })).invoiceId;
      compensations.push(() => voidInvoice({ invoiceId: invoiceId! }));
    }
    await transition(via, () => { status = 'fulfilling'; });
    if (services().length > 0) await provision();
    if (goods().length > 0) await shipAndDeliver();
    if (input.contractId) await confirmCallOff({ orderId });
    await transition({ action: 'invoice', actor: SYSTEM, note: invoiceId ? `invoice ${invoiceId}` : `paid with ${paymentId}` }, () => { status = 'invoiced'; });
    if (invoiceId) await tell('invoice', 'customer', input.customerId, `Invoice ${invoiceId} for order ${orderId}`, `Your invoice over ${fromCents(total())} is due in ${terms!.invoiceDueDays} days.`);
    await transition({ action: 'complete', actor: SYSTEM, note: null }, () => {
      status = 'completed';
      closedAt = Date.now();
    });
  }

  /** Allocate, configure, activate; an activation nobody confirms in time becomes a human's task, not a failure. */
  async function provision(): Promise<void> {
    await transition({ action: 'provision', actor: SYSTEM, note: null }, () => { status = 'provisioning'; });
    compensations.push(() => releaseServices({ orderId }));
    await allocateServices({ orderId, lines: services() });
    await configureServices({ orderId });
    await requestActivation({ orderId });
    const activated = () => activationConfirmedByPlatform || pending('activation-report') !== null;
    if (!(await waitFor(activated, terms!.activationMs))) {
      activationReportOpen = true;
      await transition({ action: 'activation-task', actor: SYSTEM, note: `activation not confirmed within ${formatDuration(terms!.activationMs)}; report it by hand` }, () => {});
      await tell('activation-task', 'queue', 'fulfilment', `Activation report needed: order ${orderId}`,
        `The services of order ${orderId} were not confirmed active within ${formatDuration(terms!.activationMs)}. Check them and report the activation.`);
      await waitFor(activated);
    }
    const report = pending('activation-report');
    const actor = report?.actor ?? PROVISIONING;
    await activateServices({ orderId, activatedBy: actor.id });
    if (goods().length === 0) await collectCashOnDelivery(actor);
    await transition({
      action: report ? 'activation-report' : 'activate', actor, note: report ? (report.note ?? null) : 'confirmed by the provisioning platform',
      message: report as Message<OrderAction> | undefined,
    }, () => {
      status = 'activated';
      activationReportOpen = false;
    });
  }

  async function shipAndDeliver(): Promise<void> {
    await waitFor(() => pending('shipments') !== null);
    const request = pending('shipments')!;
    await recordShipment({ orderId, carrier: request.carrier, trackingNo: request.trackingNo, shippedBy: request.actor.id, at: Date.now() });
    await transition({ action: 'ship', actor: request.actor, note: `${request.carrier} ${request.trackingNo}`, message: request as Message<OrderAction> }, () => {
      status = 'shipped';
      shipment = { carrier: request.carrier, trackingNo: request.trackingNo };
    });
    await waitFor(() => carrierDelivery || pending('delivered') !== null);
    const report = pending('delivered');
    const actor = report?.actor ?? CARRIER;
    await recordDelivery({ orderId, deliveredBy: actor.id, at: Date.now() });
    await collectCashOnDelivery(actor);
    await transition({ action: 'deliver', actor, note: report ? null : 'reported by the carrier', message: report as Message<OrderAction> | undefined }, () => {
      status = 'delivered';
    });
  }

  async function collectCashOnDelivery(actor: Actor): Promise<void> {
    if (input.paymentTerms !== 'cod' || total() === 0) return;
    paymentId = (await recordPayment({
      dedupeKey: `order:${orderId}:payment`, customerId: input.customerId, orderId, amountCents: total(),
      reference: shipment ? `COD ${shipment.carrier} ${shipment.trackingNo}` : `COD ${orderId}`, receivedAt: Date.now(), recordedBy: actor.id,
    })).paymentId;
  }

  /** Runs the compensations in reverse; each is idempotent and retried until it lands. */
  async function cancel(cancelled: OrderCancelled): Promise<void> {
    for (const compensate of compensations.reverse()) await compensate();
    intakeRefusal = cancelled.refusal;
    await transition(cancelled.via, () => {
      status = 'cancelled';
      cancelReason = cancelled.message;
      closedAt = Date.now();
      waitingUntil = null;
      backorderedSkus = [];
      activationReportOpen = false;
    });
    intakeDone = true;
    for (const message of Object.values(inbox)) if (!message.handled) message.dropped = true;
    if (!cancelled.refusal) await tell('cancelled', 'customer', input.customerId, `Order ${orderId} cancelled`, `Your order ${orderId} was cancelled: ${cancelled.message}.`);
  }
}
