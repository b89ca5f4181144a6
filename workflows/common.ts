import { ApplicationFailure, condition } from '@temporalio/workflow';
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
