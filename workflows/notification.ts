import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { formatDuration } from '../domain/duration';
import type { DeliveryInput } from '../domain/notifications';

// One notification's way to the people it is for: every e-mail and webhook delivery planned with it
// (the inbox needs none), each retried with exponential backoff until it is sent, refused for good, or
// its time runs out. Durable: a worker, API, database or SMTP crash only delays it.
export async function notificationDelivery(input: DeliveryInput): Promise<void> {
  const { pendingDeliveries, giveUpDelivery } = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  const { deliver } = proxyActivities<Activities>({
    startToCloseTimeout: input.retry.attemptTimeoutMs,
    scheduleToCloseTimeout: input.retry.giveUpAfterMs,
    retry: { initialInterval: input.retry.initialMs, backoffCoefficient: 2, maximumInterval: input.retry.maxMs },
  });
  const deliveries = await pendingDeliveries(input.notificationId);
  await Promise.all(deliveries.map(async ({ id }) => {
    try {
      await deliver(id);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      let last: Error = error;
      while (last.cause instanceof Error) last = last.cause;
      await giveUpDelivery({ deliveryId: id, reason: `gave up after ${formatDuration(input.retry.giveUpAfterMs)} of retries: ${last.message}` });
    }
  }));
}
