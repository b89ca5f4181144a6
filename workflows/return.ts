import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { dayOf, UTC } from '../domain/dates';
import { FailureType } from '../domain/failures';
import { fromCents } from '../domain/money';
import type { WithActor } from '../domain/processes/common';
import { returnOpened, returnUpdates, type OpenedReturn, type ReturnActionArgs, type ReturnInput, type ReturnView } from '../domain/processes/return';
import { RETURN_ACTIONS, returnActions, returnRefusal, type ReturnCondition, type ReturnState } from '../domain/returns';
import type { Actor } from '../domain/roles';
import { CrmStatus } from '../domain/search-attributes';
import { allowedActions } from '../domain/state-machine';
import { businessRuleFailure, processActivities, processEngine, refuse } from './common';

const REFUSALS: string[] = [FailureType.NotFound, FailureType.BusinessRule, FailureType.InvalidState];
const activitiesOf = processActivities(REFUSALS);

type Receipt = WithActor<ReturnActionArgs['received']>;

/**
 * A return (RMA) of delivered goods: recorded against the order's delivered quantities, it waits for
 * the goods, puts what is resaleable back on the shelf and issues the credit note at the prices charged.
 * It waits for the goods without a deadline: an RMA nobody ships back simply stays open.
 */
export async function returnWorkflow(input: ReturnInput): Promise<ReturnView> {
  const engine = processEngine();
  const { openReturn, receiveReturn, issueCreditNote, notify } = activitiesOf(engine);
  const { workflowId } = workflowInfo();
  const returnId = input.number;

  let opened: OpenedReturn | null = null;
  let openingRefusal: ApplicationFailure | null = null;
  let status: ReturnState = 'awaiting_goods';
  let receipt: Receipt | null = null;
  let conditions = new Map<string, ReturnCondition>();
  let creditNoteId: string | null = null;

  const view = (actor?: Actor): ReturnView => ({
    id: returnId, orderId: input.orderId, customerId: opened?.customerId ?? '', status, reason: input.reason,
    total: fromCents(opened?.totalCents ?? 0), creditNoteId,
    lines: (opened?.lines ?? []).map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: fromCents(l.unitPriceCents), lineTotal: fromCents(l.lineTotalCents), condition: conditions.get(l.sku) ?? null })),
    allowedActions: actor ? returnActions({ state: status }, actor) : allowedActions(RETURN_ACTIONS, status),
  });

  setHandler(returnOpened, async () => {
    await condition(() => opened !== null || openingRefusal !== null);
    if (openingRefusal) throw openingRefusal;
    return view(input.actor);
  });
  setHandler(returnUpdates.received, async (args) => {
    receipt = args;
    await condition(() => creditNoteId !== null);
    return view(args.actor);
  }, {
    validator: (args) => {
      if (!opened) refuse({ kind: 'invalid_state', message: 'the return is still being opened; try again in a moment', state: status, allowedActions: [] });
      refuse(returnRefusal({ state: status }, 'received', args.actor));
      if (receipt) refuse({ kind: 'invalid_state', message: 'the receipt of this return is already being processed', state: status, allowedActions: [] });
      const errors = receiptProblems(args, opened!);
      if (errors.length > 0) throw businessRuleFailure(errors.map((e) => e.message).join('; '), { errors });
    },
  });

  try {
    opened = await openReturn({ returnId, workflowId, orderId: input.orderId, lines: input.lines, reason: input.reason, requestedBy: input.actor.id, at: Date.now() });
  } catch (error) {
    openingRefusal = refusalOf(error);
    if (!openingRefusal) throw error;
    await condition(allHandlersFinished);
    return view();
  }
  engine.flush();

  await condition(() => receipt !== null);
  const goods = receipt!;
  await receiveReturn({ returnId, lines: goods.lines, receivedBy: goods.actor.id, at: Date.now() });
  conditions = new Map(goods.lines.map((l) => [l.sku, l.condition]));
  const note = await issueCreditNote({ returnId, on: dayOf(Date.now(), input.timeZone ?? UTC) });
  status = 'credited';
  engine.show([{ key: CrmStatus, value: status }]);
  await notify({
    dedupeKey: `${workflowId}:credited`, kind: 'return.received', audience: [`customer:${opened.customerId}`], resource: { type: 'order', id: input.orderId },
    data: { number: returnId, orderId: input.orderId, creditNoteId: note.creditNoteId, amount: fromCents(note.amountCents) },
  });
  creditNoteId = note.creditNoteId;
  await condition(allHandlersFinished);
  engine.flush();
  return view();
}

/** Each returned line named once with its condition, and nothing else. */
function receiptProblems(args: ReturnActionArgs['received'], opened: OpenedReturn): Array<{ path: string; message: string }> {
  const errors: Array<{ path: string; message: string }> = [];
  const expected = new Set(opened.lines.map((l) => l.sku));
  const named = new Set<string>();
  args.lines.forEach((line, i) => {
    if (!expected.has(line.sku)) errors.push({ path: `/lines/${i}/sku`, message: `${line.sku} is not part of this return` });
    else if (named.has(line.sku)) errors.push({ path: `/lines/${i}/sku`, message: `${line.sku} appears twice` });
    named.add(line.sku);
  });
  for (const sku of expected) if (!named.has(sku)) errors.push({ path: '/lines', message: `the condition of ${sku} is missing` });
  return errors;
}

/** The opening activity's refusal, as the failure the opening update answers with; null for anything else. */
function refusalOf(error: unknown): ApplicationFailure | null {
  // A remote activity's refusal arrives wrapped in an ActivityFailure; a local activity's as it was thrown.
  const failure = error instanceof ActivityFailure ? error.cause : error;
  if (!(failure instanceof ApplicationFailure) || !failure.type || !REFUSALS.includes(failure.type)) return null;
  return ApplicationFailure.create({ type: failure.type, message: failure.message, details: failure.details ? [...failure.details] : [], nonRetryable: true });
}
