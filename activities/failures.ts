import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../domain/failures';

// Business refusals from activities: non-retryable, typed so the API maps them to an HTTP status.
export function businessRefusal(message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.BusinessRule, message, details: details ? [details] : [], nonRetryable: true });
}
