import type { ActivityOptions, SearchAttributeUpdatePair } from '@temporalio/common';
import {
  allHandlersFinished, ApplicationFailure, condition, patched, proxyActivities, proxyLocalActivities, sleep, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { FailureType, type InvalidStateDetails } from '../domain/failures';
import type { Refusal } from '../domain/state-machine';

// Shared by every process workflow: turning refusals into typed failures the API maps to HTTP
// statuses, and writing facts to the database in order.

export function failureFor(refusal: Refusal): ApplicationFailure {
  if (refusal.kind === 'forbidden') return ApplicationFailure.create({ type: FailureType.Forbidden, message: refusal.message, nonRetryable: true });
  const details: InvalidStateDetails = { state: refusal.state, allowedActions: refusal.allowedActions };
  return ApplicationFailure.create({ type: FailureType.InvalidState, message: refusal.message, details: [details], nonRetryable: true });
}

export function refuse(refusal: Refusal | null): void {
  if (refusal) throw failureFor(refusal);
}

export function businessRuleFailure(message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.BusinessRule, message, details: details ? [details] : [], nonRetryable: true });
}

// ---- engine steps ---------------------------------------------------------------------------
//
// A process's work is short database transactions. Run as (remote) activities, each costs the engine
// two workflow tasks and an activity task, and a person's click waits for all of them. Since the
// `fewer-engine-steps` patch a process runs them as local activities inside the workflow task that
// needs them (a human decision is one workflow task, its write included, so the answer still follows
// the write: read-your-writes), upserts its search attributes once per workflow task with only what
// changed, and keeps a running timer instead of cancelling and restarting one on every change.
// Workflows started before the patch replay and finish on the old path.

export const FEWER_ENGINE_STEPS = 'fewer-engine-steps';

// A database outage must delay a write, never lose it: retry until it lands.
const RETRY: ActivityOptions['retry'] = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' };

/** The process's activities, remote (before the patch) and local (since), with one retry policy. */
export function processActivities(nonRetryableErrorTypes: string[]) {
  const retry = { ...RETRY, nonRetryableErrorTypes };
  const remote = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });
  // Backoffs beyond a minute become durable timers, so a long outage does not hold the task open.
  const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry, localRetryThreshold: '1 minute' });
  return (engine: ProcessEngine): Activities => (engine.fewerSteps ? local : remote) as Activities;
}

export type ProcessEngine = ReturnType<typeof processEngine>;

/** Call first in a workflow: whether this run takes the fewer-steps path, and the helpers that follow from it. */
export function processEngine() {
  const fewerSteps = patched(FEWER_ENGINE_STEPS);
  // What the Temporal UI shows now (the start's attributes, then every upsert), by key.
  const shown = new Map<string, string>();
  for (const pair of workflowInfo().typedSearchAttributes.getAll()) shown.set(pair.key.name, JSON.stringify(pair.value));
  const pending = new Map<string, SearchAttributeUpdatePair>();
  // Instants of the timers running for the clock loop (fewer-steps path).
  const running = new Set<number>();
  let rings = 0;

  const engine = {
    fewerSteps,
    /** Search attributes to show: at once on the old path, at the next wait (once per workflow task) since. */
    show(pairs: SearchAttributeUpdatePair[]): void {
      if (!fewerSteps) return upsertSearchAttributes(pairs);
      for (const pair of pairs) {
        if ((shown.get(pair.key.name) ?? 'null') === JSON.stringify(pair.value ?? null)) pending.delete(pair.key.name);
        else pending.set(pair.key.name, pair);
      }
    },
    /** Upserts what changed since the last upsert; call before the workflow waits, returns or continues as new. */
    flush(): void {
      if (pending.size === 0) return;
      const pairs = [...pending.values()];
      pending.clear();
      for (const pair of pairs) shown.set(pair.key.name, JSON.stringify(pair.value ?? null));
      upsertSearchAttributes(pairs);
    },
    /**
     * One step of a process's clock loop: waits until something changes the process (an update or
     * signal moves `changes`) or the earliest timer comes due, and fires the timer only when nothing
     * changed first, since a change may have made it obsolete; the caller then asks for its next timer.
     * Since the patch a timer already running at or before the due instant is kept (it wakes the loop,
     * which re-arms), so a change costs no cancelled and restarted timer.
     */
    async awaitChangeOrTimer(changes: () => number, timer: DueTimer | null): Promise<void> {
      if (!fewerSteps) return awaitChangeOrTimer(changes, timer);
      engine.flush();
      const seen = changes();
      if (!timer || timer.at > Date.now()) {
        if (timer && ![...running].some((at) => at <= timer.at)) {
          const at = timer.at;
          running.add(at);
          // Not awaited: it only rings the loop. A timer still running when the workflow ends is dropped.
          void sleep(at - Date.now()).then(() => { running.delete(at); rings++; }, () => undefined);
        }
        const rang = rings;
        await condition(() => changes() !== seen || rings !== rang);
      }
      if (changes() !== seen || !timer || timer.at > Date.now()) return;
      // A human action still being recorded may make the deadline obsolete (signing after valid-from
      // activates the contract itself): it finishes first, and the loop then looks again.
      await condition(allHandlersFinished);
      if (changes() === seen) await timer.fire();
    },
  };
  return engine;
}

export interface DueTimer {
  at: number;
  fire: () => Promise<unknown>;
}

/**
 * One step of a process's clock loop: waits until something changes the process (an update or signal
 * moves `changes`) or the earliest timer comes due, and fires the timer only when nothing changed first,
 * since a change may have made it obsolete; the caller then asks for its next timer.
 */
export async function awaitChangeOrTimer(changes: () => number, timer: DueTimer | null): Promise<void> {
  const seen = changes();
  const changed = await condition(() => changes() !== seen, timer ? Math.max(1, timer.at - Date.now()) : undefined);
  if (!changed && timer && changes() === seen) await timer.fire();
}

/**
 * Runs writes one after another in the order they were queued, while the workflow's in-memory state
 * has already moved on. Each write carries a sequence number, so even a retried write cannot put an
 * older state over a newer one.
 */
export function createWriteQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return function enqueue<T>(write: () => Promise<T>): Promise<T> {
    const result = tail.then(write);
    tail = result.catch(() => undefined);
    return result;
  };
}
