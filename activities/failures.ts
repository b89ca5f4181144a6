import { ApplicationFailure } from '@temporalio/activity';
import { Refusal } from '../db/refusal';
import { FailureType, type InvalidStateDetails } from '../domain/failures';

// Business refusals from activities: non-retryable, typed so the API maps them to an HTTP status.
export function businessRefusal(message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.BusinessRule, message, details: details ? [details] : [], nonRetryable: true });
}

/** Runs a repository call; a Refusal it throws becomes the non-retryable ApplicationFailure of its kind. */
export async function refusalsAsFailures<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (error.kind === 'not-found') throw ApplicationFailure.create({ type: FailureType.NotFound, message: error.message, nonRetryable: true });
    if (error.kind === 'invalid-state') {
      const details: InvalidStateDetails = { state: String(error.details?.state ?? 'unknown'), allowedActions: [] };
      throw ApplicationFailure.create({ type: FailureType.InvalidState, message: error.message, details: [details], nonRetryable: true });
    }
    throw businessRefusal(error.message, error.details);
  }
}
