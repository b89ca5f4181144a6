import {
  allHandlersFinished, condition, continueAsNew, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { contractApprovalChain, parsePaymentTermsDays } from '../domain/approvals';
import { contractClock } from '../domain/contract-time';
import { addDays, dayOf, parseInstant } from '../domain/dates';
import {
  amendTerms, BILLING_MONTHS, contractActions, contractRefusal, FINAL_CONTRACT_STATES, type ContractAction, type ContractState, type ContractTerms,
} from '../domain/contracts';
import type { WithActor } from '../domain/processes/common';
import {
  contractConsumed, contractOpened, contractState, contractUpdates,
  type ApprovalDecisionRecord, type ContractCarry, type ContractEventRecord, type ContractInput, type ContractPolicy, type ContractRecord,
  type ContractVersionRecord, type ContractView, type OpenApproval,
} from '../domain/processes/contract';
import { fromCents } from '../domain/money';
import type { Actor } from '../domain/roles';
import { CrmAmount, CrmCustomerId, CrmDueAt, CrmKind, CrmStatus } from '../domain/search-attributes';
import { awaitChangeOrTimer, businessRuleFailure, createWriteQueue, refuse, type DueTimer } from './common';

const { loadContractPolicy, recordContract, notify, issueInvoice } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // A database outage must delay the write, never lose it: retry until it lands.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['NotFound'] },
});

const SYSTEM: Actor = { id: 'system', name: 'contract clock', roles: [] };
const iso = (ms: number) => new Date(ms).toISOString();

export async function contractWorkflow(input: ContractInput): Promise<ContractView> {
  const workflowId = workflowInfo().workflowId;
  const clock = contractClock(input.dayMs);
  const enqueue = createWriteQueue();
  const carried = input.carried;

  let policy: ContractPolicy | null = carried?.policy ?? null;
  let seq = carried?.seq ?? 0;
  let recorded = carried !== undefined;
  let changes = 0;

  let status: ContractState = carried?.status ?? 'draft';
  let terms: ContractTerms = input.terms;
  let version = carried?.version ?? 1;
  let latestVersion = carried?.latestVersion ?? 1;
  let term = carried?.term ?? 1;
  let round = carried?.round ?? 0;
  let approval: OpenApproval | null = carried?.approval ?? null;
  let lastRejection: ContractView['lastRejection'] = carried?.lastRejection ?? null;
  let signedAt = carried?.signedAt ?? null;
  let activatedAt = carried?.activatedAt ?? null;
  let endedAt: number | null = null;
  let billedPeriods = carried?.billedPeriods ?? 0;
  let termination = carried?.termination ?? null;
  let noticeSent = false;
  let consumed = false;
  let renewed = false;
  const createdAt = carried?.createdAt ?? Date.now();

  const facts = () => ({ state: status, approval });
  const periodStart = (k: number) => (terms.billing ? clock.monthsAfter(terms.validFrom, k * BILLING_MONTHS[terms.billing.frequency]) : null);
  const nextBilling = () => {
    const at = periodStart(billedPeriods);
    return at !== null && at < terms.validTo && (status === 'active' || status === 'signed') ? at : null;
  };

  function view(actor?: Actor): ContractView {
    const billingAt = nextBilling();
    return {
      id: input.number, status, type: input.type, customerId: input.customerId, version, term,
      validFrom: iso(terms.validFrom), validTo: iso(terms.validTo), targetValue: fromCents(terms.targetValueCents),
      targetQuantities: terms.targetQuantities?.map((t) => ({ sku: t.sku, qty: t.qty, unitPrice: fromCents(t.unitPriceCents) })) ?? null,
      prices: terms.prices.map((p) => ({ sku: p.sku, unitPrice: fromCents(p.unitPriceCents) })),
      paymentTerms: terms.paymentTerms, billing: terms.billing ? { frequency: terms.billing.frequency, amount: fromCents(terms.billing.amountCents) } : null,
      autoRenew: terms.autoRenew, renewalMonths: terms.renewalMonths, noticeDays: terms.noticeDays, terms: terms.terms,
      approval: approval ? { round: approval.round, kind: approval.kind, chain: approval.chain, step: approval.step, awaiting: approval.chain[approval.step]! } : null,
      pendingAmendment: approval?.amended
        ? { version: approval.version, targetValue: fromCents(approval.amended.targetValueCents), validTo: iso(approval.amended.validTo), reason: approval.reason }
        : null,
      lastRejection, terminationAt: termination ? iso(termination.at) : null, nextBillingAt: billingAt === null ? null : iso(billingAt),
      allowedActions: actor ? contractActions(facts(), actor) : [],
    };
  }

  function record(): ContractRecord {
    return {
      id: input.number, workflowId, customerId: input.customerId, type: input.type, status, version, term, terms, particulars: input.particulars,
      awaiting: approval ? approval.chain[approval.step]! : null, createdBy: input.actor.id, createdAt, signedAt, activatedAt, endedAt,
    };
  }

  function showInTemporal(): void {
    upsertSearchAttributes([
      { key: CrmKind, value: 'contract' },
      { key: CrmStatus, value: status },
      { key: CrmCustomerId, value: input.customerId },
      { key: CrmAmount, value: terms.targetValueCents / 100 },
      { key: CrmDueAt, value: new Date(terms.validTo) },
    ]);
    const waiting = approval ? ` · ${approval.kind} awaits ${approval.chain[approval.step]} (step ${approval.step + 1}/${approval.chain.length})` : '';
    const ending = termination ? ` · terminates ${iso(termination.at)}` : '';
    setCurrentDetails(`**${status}** · v${version} · term ${term} · value ${fromCents(terms.targetValueCents)} · valid to ${iso(terms.validTo)}${waiting}${ending}`);
  }

  interface Extras {
    versions?: ContractVersionRecord[];
    approval?: ApprovalDecisionRecord;
  }

  /** Applies a change, shows it in Temporal at once, and records it in the database in order. */
  async function transition(action: string, actor: Actor, change: () => Extras | void, note: string | null = null): Promise<ContractView> {
    const from = status;
    const extras = change() ?? {};
    const event: ContractEventRecord = { seq: seq++, action, actorId: actor.id, fromStatus: action === 'open' ? null : from, toStatus: status, note, at: Date.now() };
    changes++;
    showInTemporal();
    const contract = record();
    await enqueue(() => recordContract({ contract, event, ...extras }));
    recorded = true;
    return view(actor);
  }

  const versionRecord = (v: number, kind: ContractVersionRecord['kind'], state: ContractVersionRecord['status'], t: ContractTerms, actor: Actor, reason: string | null): ContractVersionRecord =>
    ({ version: v, kind, status: state, reason, terms: t, createdBy: actor.id, createdAt: Date.now(), decidedAt: state === 'pending_approval' ? null : Date.now() });

  /** Puts a new version in force; the one it replaces is superseded. */
  function bringIntoForce(next: ContractTerms, nextVersion: number, kind: ContractVersionRecord['kind'], actor: Actor, reason: string | null): ContractVersionRecord[] {
    const superseded = versionRecord(version, kind, 'superseded', terms, actor, null);
    terms = next;
    version = nextVersion;
    latestVersion = Math.max(latestVersion, nextVersion);
    return [superseded, versionRecord(nextVersion, kind, 'in_force', next, actor, reason)];
  }

  function openRound(kind: OpenApproval['kind'], forTerms: ContractTerms, forVersion: number, reason: string | null): void {
    round++;
    const chain = contractApprovalChain({ totalCents: forTerms.targetValueCents, paymentTerms: forTerms.paymentTerms, terms: forTerms.terms }, policy!.thresholds);
    approval = { round, kind, chain, step: 0, version: forVersion, amended: kind === 'amendment' ? forTerms : null, reason };
  }

  function decision(actor: Actor, verdict: 'approved' | 'rejected', comment: string | null): ApprovalDecisionRecord {
    const open = approval!;
    return { round: open.round, step: open.step, version: open.version, role: open.chain[open.step]!, decision: verdict, actorId: actor.id, comment, at: Date.now() };
  }

  /** An amendment still awaiting approval lapses when the contract ends or starts a new term. */
  function withdrawAmendment(): ContractVersionRecord[] {
    if (!approval?.amended) return [];
    const withdrawn = versionRecord(approval.version, 'amendment', 'withdrawn', approval.amended, SYSTEM, approval.reason);
    approval = null;
    return [withdrawn];
  }

  function end(final: ContractState): Extras {
    status = final;
    endedAt = Date.now();
    termination = null;
    return { versions: withdrawAmendment() };
  }

  function renewTerm(months: number, actor: Actor): Extras {
    const extended = { ...terms, validTo: clock.monthsAfter(terms.validTo, months) };
    term++;
    renewed = true;
    return { versions: bringIntoForce(extended, latestVersion + 1, 'renewal', actor, `term ${term}: ${months} months`) };
  }

  // ---- human actions -------------------------------------------------------------------------
  const guard = (action: ContractAction) => (args: WithActor) => {
    if (!recorded) refuse({ kind: 'invalid_state', message: 'the contract is still being opened; try again in a moment', state: status, allowedActions: [] });
    refuse(contractRefusal(facts(), action, args.actor));
  };

  setHandler(contractUpdates.submit, ({ actor }) => transition('submit', actor, () => {
    openRound('contract', terms, version, null);
    status = 'pending_approval';
    lastRejection = null;
  }, `approval round ${round + 1}`), { validator: guard('submit') });

  setHandler(contractUpdates.approve, ({ actor, comment }) => transition('approve', actor, () => {
    const approved = decision(actor, 'approved', comment ?? null);
    const open = approval!;
    open.step++;
    if (open.step < open.chain.length) return { approval: approved };
    approval = null;
    if (open.kind === 'contract') {
      status = 'approved';
      return { approval: approved };
    }
    return { approval: approved, versions: bringIntoForce(open.amended!, open.version, 'amendment', actor, open.reason) };
  }, comment ?? null), { validator: guard('approve') });

  setHandler(contractUpdates.reject, ({ actor, comment }) => transition('reject', actor, () => {
    const rejected = decision(actor, 'rejected', comment);
    const open = approval!;
    approval = null;
    lastRejection = { role: rejected.role, actorId: actor.id, comment };
    if (open.kind === 'contract') {
      status = 'draft';
      return { approval: rejected };
    }
    return { approval: rejected, versions: [versionRecord(open.version, 'amendment', 'rejected', open.amended!, actor, open.reason)] };
  }, comment), { validator: guard('reject') });

  setHandler(contractUpdates.sign, async ({ actor, signedAt: at }) => {
    const signed = await transition('sign', actor, () => {
      status = 'signed';
      signedAt = at ? parseInstant(at) : Date.now();
    });
    // The contract activates at valid-from; one signed after that date is active at once.
    return terms.validFrom <= Date.now() ? activate() : signed;
  }, { validator: guard('sign') });

  setHandler(contractUpdates.amend, ({ actor, changes: wanted, reason }) => transition('amend', actor, () => {
    const amended = amendTerms(input.type, terms, wanted, Date.now()) as ContractTerms;
    const next = latestVersion + 1;
    latestVersion = next;
    // A raised value is approved for the new total; meanwhile the contract runs on under the version in force.
    if (amended.targetValueCents > terms.targetValueCents) {
      openRound('amendment', amended, next, reason);
      return { versions: [versionRecord(next, 'amendment', 'pending_approval', amended, actor, reason)] };
    }
    return { versions: bringIntoForce(amended, next, 'amendment', actor, reason) };
  }, reason), {
    validator: (args) => {
      guard('amend')(args);
      const amended = amendTerms(input.type, terms, args.changes, Date.now());
      if (typeof amended === 'string') throw businessRuleFailure(amended);
    },
  });

  setHandler(contractUpdates.terminate, ({ actor, reason, effectiveDate }) => {
    const at = parseInstant(effectiveDate);
    if (at <= Date.now()) return transition('terminate', actor, () => end('terminated'), reason);
    return transition('schedule-termination', actor, () => {
      termination = { at, reason };
    }, `${reason} (effective ${iso(at)})`);
  }, { validator: guard('terminate') });

  setHandler(contractUpdates.renew, ({ actor, months }) => {
    const by = months ?? terms.renewalMonths;
    return transition('renew', actor, () => renewTerm(by, actor), `renewed by ${by} months`);
  }, { validator: guard('renew') });

  setHandler(contractOpened, async () => {
    await condition(() => recorded);
    return view(input.actor);
  });
  setHandler(contractState, (actor) => view(actor));
  setHandler(contractConsumed, () => {
    consumed = true;
    changes++;
  });

  const activate = () => transition('activate', SYSTEM, () => {
    status = 'active';
    activatedAt = Date.now();
  }, `valid from ${iso(terms.validFrom)}`);

  // ---- draft ---------------------------------------------------------------------------------
  if (carried) showInTemporal();
  else {
    policy = await loadContractPolicy();
    await transition('open', input.actor, () => ({ versions: [versionRecord(1, 'draft', 'in_force', terms, input.actor, null)] }), input.particulars.externalRef);
  }

  // ---- validity, notice, billing, termination and consumption clocks ---------------------------
  while (!FINAL_CONTRACT_STATES.includes(status) && !renewed && !workflowInfo().continueAsNewSuggested) await awaitChangeOrTimer(() => changes, nextTimer());
  await condition(allHandlersFinished);
  await enqueue(async () => undefined);
  if (FINAL_CONTRACT_STATES.includes(status)) return view();
  // A renewal starts the next term in a fresh run, so the history stays bounded however often it renews.
  const carry: ContractCarry = {
    status, version, latestVersion, term, seq, round, policy: policy!, createdAt, signedAt, activatedAt, billedPeriods,
    termination, approval, lastRejection,
  };
  return continueAsNew<typeof contractWorkflow>({ ...input, terms, carried: carry });

  function nextTimer(): DueTimer | null {
    const now = Date.now();
    const candidates: DueTimer[] = [];
    if (consumed && status === 'active') candidates.push({ at: now, fire: () => transition('complete', SYSTEM, () => end('completed'), 'fully consumed') });
    if (termination) {
      const reason = termination.reason;
      candidates.push({ at: termination.at, fire: () => transition('terminate', SYSTEM, () => end('terminated'), reason) });
    }
    if (status === 'signed') candidates.push({ at: terms.validFrom, fire: activate });
    if (status === 'active') {
      const billingAt = nextBilling();
      if (billingAt !== null) candidates.push({ at: billingAt, fire: () => bill(billingAt) });
      const noticeAt = terms.validTo - clock.days(terms.noticeDays);
      if (!noticeSent && terms.noticeDays > 0) candidates.push({ at: noticeAt, fire: remindOwner });
    }
    if (status === 'active' || status === 'signed' || status === 'approved') candidates.push({ at: terms.validTo, fire: endOfTerm });
    return candidates.sort((a, b) => a.at - b.at)[0] ?? null;
  }

  function endOfTerm(): Promise<unknown> {
    if (status === 'active' && terms.autoRenew) {
      return transition('auto-renew', SYSTEM, () => {
        const withdrawn = withdrawAmendment();
        return { versions: [...withdrawn, ...renewTerm(terms.renewalMonths, SYSTEM).versions!] };
      }, `renewed by ${terms.renewalMonths} months`);
    }
    return transition('expire', SYSTEM, () => end('expired'), `valid to ${iso(terms.validTo)}`);
  }

  async function bill(at: number) {
    const period = billedPeriods;
    const issuedOn = dayOf(at);
    const dueDays = parsePaymentTermsDays(terms.paymentTerms) ?? policy!.invoiceDueDays;
    await enqueue(() => issueInvoice({
      dedupeKey: `contract:${input.number}:${iso(at)}`, customerId: input.customerId, contractId: input.number,
      description: `Contract ${input.number}: ${terms.billing!.frequency} fee, period ${period + 1} from ${iso(at)}`,
      amountCents: terms.billing!.amountCents, issuedOn, dueOn: addDays(issuedOn, dueDays),
    }));
    billedPeriods = period + 1;
    changes++;
  }

  async function remindOwner() {
    noticeSent = true;
    changes++;
    const subject = `Contract ${input.number} ends ${iso(terms.validTo)}`;
    const body = terms.autoRenew
      ? `Contract ${input.number} renews automatically by ${terms.renewalMonths} months at ${iso(terms.validTo)} unless it is terminated.`
      : `Contract ${input.number} expires at ${iso(terms.validTo)}; renew it before then to keep it running.`;
    for (const recipient of [input.actor.id, 'contract_admin']) {
      await enqueue(() => notify({
        dedupeKey: `${workflowId}:renewal-notice:${term}:${recipient}`, channel: 'owner', recipient, subject, body, resourceType: 'contract', resourceId: input.number,
      }));
    }
  }
}
