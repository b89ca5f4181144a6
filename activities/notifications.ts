import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { createMailer, mailDomain, type Mailer, type SendOutcome } from '../channels/email';
import { render } from '../channels/render';
import { postWebhook, webhookUrlRefusal } from '../channels/webhook';
import { taskQueue } from '../config';
import { giveUp, loadDelivery, pendingDeliveries, recordAttempt, writeNotifications, type DeliveryChannels, type DeliveryRow, type NotificationRow } from '../db/notifications';
import { portalKeyOf, portalToken } from '../db/portal';
import { findWebhook } from '../db/webhooks';
import {
  deliveryWorkflowId, messageIdOf, NOTIFICATION_DELIVERY_WORKFLOW, webhookIdOf,
  type Audience, type DeliveryInput, type NotificationInput,
} from '../domain/notifications';
import { portalLinks, portalPurposeOf } from '../domain/portal';
import type { ActivityDeps } from './deps';

/**
 * What every activity that writes notifications needs: the channels to plan deliveries for, and the
 * hand-over that starts one delivery workflow per notification with something left to send. The
 * hand-over runs after the write commits and again on every retry of the writing activity (the write is
 * then a no-op that still answers the waiting ids), so a crash between the two loses nothing; the
 * workflow id makes a second start a no-op.
 */
export function notificationOutlet({ config, temporal }: ActivityDeps) {
  return {
    get channels(): DeliveryChannels {
      return { email: config.notifications.smtpUrl !== null };
    },
    async handOver(notificationIds: readonly number[]): Promise<void> {
      if (notificationIds.length === 0) return;
      if (!temporal) throw new Error('handing notifications to their delivery needs a Temporal client in the ActivityDeps');
      const input = (notificationId: number): DeliveryInput => ({ notificationId, retry: config.notifications.retry });
      await Promise.all(notificationIds.map(async (id) => {
        try {
          await temporal.workflow.start(NOTIFICATION_DELIVERY_WORKFLOW, {
            workflowId: deliveryWorkflowId(id), taskQueue: taskQueue(config, 'notifications'), args: [input(id)],
          });
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        }
      }));
    },
  };
}

/** The shape processes started before notification kinds existed pass to notify: ready-worded text. */
interface WordedNotice {
  dedupeKey: string;
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  resourceType: NotificationInput['resource']['type'];
  resourceId: string;
}

function fromWordedNotice(n: WordedNotice): NotificationInput {
  const audience: Audience = n.channel === 'customer' ? `customer:${n.recipient}`
    : n.recipient.startsWith('queue:') ? `tier:${n.recipient.slice(6)}` as Audience
      : n.recipient.startsWith('U-') ? `user:${n.recipient}` : `role:${n.recipient}` as Audience;
  return { dedupeKey: n.dedupeKey, kind: 'notice', audience: [audience], resource: { type: n.resourceType, id: n.resourceId }, data: { number: n.resourceId, subject: n.subject, body: n.body } };
}

export function createNotificationActivities(deps: ActivityDeps) {
  const { db, config } = deps;
  const outlet = notificationOutlet(deps);
  let mailer: Mailer | null = null;

  /** A customer's portal links, derived again at each attempt: the same token the recorded hash admits. */
  function customerLinks(notification: NotificationRow, address: string): Record<string, string> {
    const purpose = portalPurposeOf(notification.kind);
    if (!purpose) return {};
    return portalLinks(purpose, config.notifications.publicUrl, portalToken(portalKeyOf(config), notification.dedupeKey, address));
  }

  async function send(delivery: DeliveryRow, notification: NotificationRow): Promise<SendOutcome> {
    if (delivery.channel === 'email') {
      if (!config.notifications.smtpUrl) return { ok: false, permanent: false, error: 'e-mail is not configured on this worker (CRM_SMTP_URL)', code: null };
      mailer ??= createMailer(config.notifications.smtpUrl, config.notifications.mailFrom);
      const staff = delivery.userId !== null;
      const link = staff ? `${config.notifications.publicUrl}/console/#/${notification.resourceType}s/${encodeURIComponent(notification.resourceId)}` : null;
      const data = staff ? notification.data : { ...notification.data, ...customerLinks(notification, delivery.address) };
      return mailer.send({ to: delivery.address, messageId: messageIdOf(delivery.id, mailDomain(config.notifications.mailFrom)), ...render(notification.kind, delivery.language, data, link) });
    }
    const hook = await findWebhook(db, delivery.address);
    if (!hook) return { ok: false, permanent: true, error: 'the subscription was deleted', code: null };
    // Checked again at each attempt: the name may resolve elsewhere now than when it was subscribed.
    const refusal = await webhookUrlRefusal(hook.url, config.api.port);
    if (refusal) return { ok: false, permanent: true, error: `the URL ${refusal}`, code: null };
    const id = webhookIdOf(delivery.id);
    const body = JSON.stringify({
      type: notification.kind, timestamp: notification.createdAt.toISOString(),
      data: { notificationId: notification.id, resource: { type: notification.resourceType, id: notification.resourceId }, ...notification.data },
    });
    return postWebhook(hook.url, { id, secret: hook.secret, body, timeoutMs: config.notifications.webhookTimeoutMs });
  }

  return {
    /** Writes a notification (once per dedupe key) with its deliveries, and hands it to delivery. */
    async notify(notification: NotificationInput): Promise<void> {
      // An activity scheduled by a worker of the earlier release may still carry the worded shape.
      const input = 'kind' in notification ? notification : fromWordedNotice(notification as WordedNotice);
      await outlet.handOver(await writeNotifications(db, [input], outlet.channels));
    },

    async pendingDeliveries(notificationId: number): Promise<Array<{ id: number; channel: DeliveryRow['channel'] }>> {
      return pendingDeliveries(db, notificationId);
    },

    /**
     * One attempt at one delivery. Sent: recorded. Refused for good (SMTP 5xx, HTTP 410, a deleted
     * subscription): recorded as failed, not retried. Anything else: the attempt is recorded and the
     * activity fails, so Temporal retries it with backoff; the receiver sees the same Message-ID or
     * webhook-id on every attempt, including one that reached it before a crash kept us from recording it.
     */
    async deliver(deliveryId: number): Promise<'sent' | 'failed' | 'done before'> {
      const loaded = await loadDelivery(db, deliveryId);
      if (!loaded || loaded.delivery.status !== 'pending') return 'done before';
      const outcome = await send(loaded.delivery, loaded.notification);
      if (outcome.ok) {
        await recordAttempt(db, deliveryId, { status: 'sent', responseCode: outcome.code });
        return 'sent';
      }
      await recordAttempt(db, deliveryId, { status: outcome.permanent ? 'failed' : 'pending', error: outcome.error, responseCode: outcome.code });
      if (outcome.permanent) return 'failed';
      throw ApplicationFailure.retryable(`delivery ${deliveryId} (${loaded.delivery.channel}) failed: ${outcome.error}`, 'DeliveryFailed');
    },

    /** The retries ran out: the delivery shows among the failures with the last error. */
    async giveUpDelivery(input: { deliveryId: number; reason: string }): Promise<void> {
      await giveUp(db, input.deliveryId, input.reason);
    },
  };
}
