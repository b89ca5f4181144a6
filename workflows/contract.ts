import { allHandlersFinished, condition, continueAsNew, patched, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { parsePaymentTermsDays } from '../domain/approvals';
import { contractClock } from '../domain/contract-time';
import { addDays, dayOf, parseInstant, UTC } from '../domain/dates';
import { amendTerms, contractRefusal, FINAL_CONTRACT_STATES, type ContractAction, type ContractTerms } from '../domain/contracts';
import type { NotificationData, NotificationKind } from '../domain/notifications';
import type { WithActor } from '../domain/processes/common';
import {
  contractConsumed, contractOpened, contractState, contractUpdates, type ContractEventRecord, type ContractInput, type ContractView,
} from '../domain/processes/contract';
import {
  acceptRetention, activateContract, amendContract, approveStep, billedPeriod, CONTRACT_CLOCK, contractCarry, contractDetails, contractFacts, contractRecord,
  contractSearchAttributes, contractView, declineRetention, describeOffer, draftContract, endContract, fullyConsumed, nextContractDeadline, noticeSent,
  offerRetention, openContract, rejectStep, renewContract, requestTermination, resumeContract, scheduleTermination, signContract, submitContract,
  type ContractChange, type ContractDeadline, type ContractProcess,
} from '../domain/processes/contract-state';
import type { Actor } from '../domain/roles';
import { businessRuleFailure, createWriteQueue, processActivities, processEngine, refuse, type DueTimer } from './common';

const activitiesOf = processActivities(['NotFound']);

const SYSTEM = CONTRACT_CLOCK;
/**
 * Since this patch an amendment of the terms text or the prices goes through the approval chain (SPEC §6),
 * not only a raised value; contracts that amended before it replay on the old rule.
 */
export const AMENDMENT_REVIEW = 'amendment-reviews-terms-and-prices';
const iso = (ms: number) => new Date(ms).toISOString();

export async function contractWorkflow(input: ContractInput): Promise<ContractView> {
  const engine = processEngine();
  const { loadContractPolicy, recordContract, notify, issueInvoice } = activitiesOf(engine);
  const workflowId = workflowInfo().workflowId;
  const clock = contractClock(input.dayMs);
  const zone = input.timeZone ?? UTC;
  const enqueue = createWriteQueue();
  const carried = input.carried;

  // The contract as the business sees it (domain/processes/contract-state.ts); every transition below
  // replaces it and records the change.
  let contract: ContractProcess = carried ? resumeContract(input.terms, carried) : draftContract(input.terms, Date.now());
  // Bookkeeping: events recorded, changes seen by the clock loop, and whether the opening is recorded.
  let seq = carried?.seq ?? 0;
  let changes = 0;
  let opened = carried !== undefined;

  const view = (actor?: Actor) => contractView(contract, input, clock, actor);

  function showInTemporal(): void {
    engine.show(contractSearchAttributes(contract, input));
    setCurrentDetails(contractDetails(contract));
  }

  /** Applies a change, shows it in Temporal at once, and records it in the database in order. */
  async function transition(action: string, actor: Actor, change: (c: ContractProcess) => ContractProcess | ContractChange, note: string | null = null): Promise<ContractView> {
    const from = contract.status;
    const outcome = change(contract);
    const { contract: next, ...extras } = 'contract' in outcome ? outcome : { contract: outcome };
    contract = next;
    const event: ContractEventRecord = { seq: seq++, action, actorId: actor.id, fromStatus: action === 'open' ? null : from, toStatus: contract.status, note, at: Date.now() };
    changes++;
    showInTemporal();
    const record = contractRecord(contract, input, workflowId);
    await enqueue(() => recordContract({ contract: record, event, ...extras }));
    opened = true;
    return view(actor);
  }

  /** A change outside the event log (billing progress, the notice, consumption): wakes the clock loop. */
  function mark(change: (c: ContractProcess) => ContractProcess): void {
    contract = change(contract);
    changes++;
  }

  // ---- human actions -------------------------------------------------------------------------
  const guard = (action: ContractAction) => (args: WithActor) => {
    if (!opened) refuse({ kind: 'invalid_state', message: 'the contract is still being opened; try again in a moment', state: contract.status, allowedActions: [] });
    refuse(contractRefusal(contractFacts(contract), action, args.actor));
  };

  setHandler(contractUpdates.submit, ({ actor }) => transition('submit', actor, (c) => submitContract(c, actor), `approval round ${contract.round + 1}`), { validator: guard('submit') });
  setHandler(contractUpdates.approve, ({ actor, comment }) => transition('approve', actor, (c) => approveStep(c, actor, comment ?? null, Date.now()), comment ?? null), { validator: guard('approve') });
  setHandler(contractUpdates.reject, ({ actor, comment }) => transition('reject', actor, (c) => rejectStep(c, actor, comment, Date.now()), comment), { validator: guard('reject') });

  setHandler(contractUpdates.sign, async ({ actor, signedAt: at }) => {
    const signed = await transition('sign', actor, (c) => signContract(c, at ? parseInstant(at, zone) : Date.now()));
    // The contract activates at valid-from; one signed after that date is active at once.
    return contract.terms.validFrom <= Date.now() ? activate() : signed;
  }, { validator: guard('sign') });

  setHandler(contractUpdates.amend, ({ actor, changes: wanted, reason }) => {
    const review = patched(AMENDMENT_REVIEW);
    return transition('amend', actor, (c) => {
      const amended = amendTerms(input.type, c.terms, wanted, Date.now()) as ContractTerms;
      return amendContract(c, amended, reason, actor, Date.now(), review);
    }, reason);
  }, {
    validator: (args) => {
      guard('amend')(args);
      const amended = amendTerms(input.type, contract.terms, args.changes, Date.now());
      if (typeof amended === 'string') throw businessRuleFailure(amended);
    },
  });

  setHandler(contractUpdates.terminate, ({ actor, reason, effectiveDate }) => {
    const at = parseInstant(effectiveDate, zone);
    // Only contract_admin terminates directly: sooner than the notice period is their override, and the timeline says so.
    const override = at < Date.now() + clock.days(contract.terms.noticeDays) ? ` (notice period of ${contract.terms.noticeDays} days overridden)` : '';
    if (at <= Date.now()) return transition('terminate', actor, (c) => endContract(c, 'terminated', Date.now()), `${reason}${override}`);
    return transition('schedule-termination', actor, (c) => scheduleTermination(c, at, reason), `${reason} (effective ${iso(at)})${override}`);
  }, { validator: guard('terminate') });

  // ---- retention before termination (issue 17): new updates only, so no running history changes ----
  setHandler(contractUpdates['termination-request'], ({ actor, reason }) =>
    transition('termination-request', actor, (c) => requestTermination(c, actor, reason, Date.now()), reason), { validator: guard('termination-request') });
  setHandler(contractUpdates['retention-offer'], ({ actor, discountPercent, months, alternative }) => {
    const offer = { discountPercent, months, alternative };
    return transition('retention-offer', actor, (c) => offerRetention(c, offer), describeOffer(offer));
  }, { validator: guard('retention-offer') });
  setHandler(contractUpdates['retention-accept'], ({ actor, note }) =>
    transition('retention-accept', actor, (c) => acceptRetention(c, input.type, clock, actor, Date.now()), note ?? null), {
    validator: (args) => {
      guard('retention-accept')(args);
      // The offer's terms must still apply (a validity already past cannot be amended): refused, not a failed task.
      try {
        acceptRetention(contract, input.type, clock, args.actor, Date.now());
      } catch (error) {
        throw businessRuleFailure((error as Error).message);
      }
    },
  });
  setHandler(contractUpdates['retention-decline'], async ({ actor, note }) => {
    const declined = await transition('retention-decline', actor, (c) => declineRetention(c, clock, Date.now()), note ?? null);
    // With no notice period left to run (noticeDays 0), the contract ends with the decline.
    return contract.termination && contract.termination.at <= Date.now()
      ? transition('terminate', SYSTEM, (c) => endContract(c, 'terminated', Date.now()), contract.termination.reason)
      : declined;
  }, { validator: guard('retention-decline') });

  setHandler(contractUpdates.renew, ({ actor, months }) => {
    const by = months ?? contract.terms.renewalMonths;
    return transition('renew', actor, (c) => renewContract(c, by, clock, actor, Date.now()), `renewed by ${by} months`);
  }, { validator: guard('renew') });

  setHandler(contractOpened, async () => {
    await condition(() => opened);
    return view(input.actor);
  });
  setHandler(contractState, (actor) => view(actor));
  setHandler(contractConsumed, () => mark(fullyConsumed));

  const activate = () => transition('activate', SYSTEM, (c) => activateContract(c, Date.now()), `valid from ${iso(contract.terms.validFrom)}`);

  // ---- draft ---------------------------------------------------------------------------------
  if (carried) showInTemporal();
  else {
    const policy = await loadContractPolicy();
    await transition('open', input.actor, (c) => openContract(c, policy, input.actor, Date.now()), input.particulars.externalRef);
  }

  // ---- validity, notice, billing, termination and consumption clocks ---------------------------
  const running = () => !FINAL_CONTRACT_STATES.includes(contract.status) && !contract.renewed;
  while (running() && !workflowInfo().continueAsNewSuggested) await engine.awaitChangeOrTimer(() => changes, nextTimer());
  await condition(allHandlersFinished);
  await enqueue(async () => undefined);
  engine.flush();
  if (FINAL_CONTRACT_STATES.includes(contract.status)) return view();
  // A renewal starts the next term in a fresh run, so the history stays bounded however often it renews;
  // the carry is read off the state, so nothing that happened meanwhile (a consumption, the notice) is lost.
  return continueAsNew<typeof contractWorkflow>({ ...input, terms: contract.terms, carried: contractCarry(contract, seq) });

  function nextTimer(): DueTimer | null {
    const due = nextContractDeadline(contract, clock, Date.now());
    return due && { at: due.at, fire: () => act(due) };
  }

  function act(due: ContractDeadline): Promise<unknown> {
    switch (due.kind) {
      case 'complete': return transition('complete', SYSTEM, (c) => endContract(c, 'completed', Date.now()), 'fully consumed');
      case 'terminate': return transition('terminate', SYSTEM, (c) => endContract(c, 'terminated', Date.now()), due.reason);
      case 'activate': return activate();
      case 'bill': return bill(due.at);
      case 'notice': return remindOwner();
      case 'end-of-term': return endOfTerm();
    }
  }

  function endOfTerm(): Promise<unknown> {
    const { terms } = contract;
    if (contract.status === 'active' && terms.autoRenew) {
      return transition('auto-renew', SYSTEM, (c) => renewContract(c, terms.renewalMonths, clock, SYSTEM, Date.now()), `renewed by ${terms.renewalMonths} months`);
    }
    return transition('expire', SYSTEM, (c) => endContract(c, 'expired', Date.now()), `valid to ${iso(terms.validTo)}`);
  }

  async function bill(at: number) {
    const { terms, billedPeriods: period } = contract;
    const issuedOn = dayOf(at, zone);
    const dueDays = parsePaymentTermsDays(terms.paymentTerms) ?? contract.policy!.invoiceDueDays;
    await enqueue(() => issueInvoice({
      dedupeKey: `contract:${input.number}:${iso(at)}`, customerId: input.customerId, contractId: input.number,
      description: `Contract ${input.number}: ${terms.billing!.frequency} fee, period ${period + 1} from ${iso(at)}`,
      amountCents: terms.billing!.amountCents, issuedOn, dueOn: addDays(issuedOn, dueDays),
    }));
    mark(billedPeriod);
  }

  async function remindOwner() {
    mark(noticeSent);
    const { terms, term } = contract;
    const [kind, data]: [NotificationKind, NotificationData] = terms.autoRenew
      ? ['contract.renewing', { number: input.number, validTo: iso(terms.validTo), renewalMonths: terms.renewalMonths }]
      : ['contract.expiring', { number: input.number, validTo: iso(terms.validTo) }];
    // One write per audience, as processes started before notification kinds wrote one per recipient.
    for (const audience of [`user:${input.actor.id}`, 'role:contract_admin'] as const) {
      await enqueue(() => notify({ dedupeKey: `${workflowId}:renewal-notice:${term}:${audience}`, kind, audience: [audience], resource: { type: 'contract', id: input.number }, data }));
    }
  }
}
