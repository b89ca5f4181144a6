import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import fp from 'fastify-plugin';
import { startInboundListener, type InboundListener } from '../../channels/inbound-smtp';
import { taskQueue } from '../../config';
import { storeInbound } from '../../db/inbound';
import { INBOUND_MAIL_WORKFLOW, inboundWorkflowId } from '../../domain/inbound';

declare module 'fastify' {
  interface FastifyInstance {
    /** The inbound SMTP listener while the app runs with CRM_INBOUND_SMTP_PORT set. */
    inboundSmtp: InboundListener | null;
  }
}

/** How long a start keeps retrying an unreachable Temporal before the sweep is left to catch up. */
const START_DEADLINE_MS = 3000;

/**
 * The e-mail door: each accepted message is stored first (the 250 waits for the commit), then its
 * workflow is started. When Temporal cannot be reached the message waits in the database and the
 * inbound sweep (workflows/inbound.ts) starts its workflow once Temporal is back.
 */
export const inboundPlugin = fp(async (app) => {
  app.decorate('inboundSmtp', null);
  // Starts still retrying are awaited before the app closes: the client's retry timer would otherwise
  // fire on the connection closed after us ("Channel has been shut down", an uncaught exception).
  const starting = new Set<Promise<void>>();
  const { port, host, maxBytes } = app.config.inbound;
  if (port === null) return;
  app.addHook('onReady', async () => {
    app.inboundSmtp = await startInboundListener({
      host, port, maxBytes,
      onError: (error) => app.log.warn({ err: error }, 'inbound mail'),
      store: async (mail) => {
        const { id } = await storeInbound(app.db, mail);
        // The 250 waits for the commit only: with Temporal away, the start fails later and the sweep catches up.
        const started = app.temporal.withDeadline(Date.now() + START_DEADLINE_MS, () => app.temporal.workflow.start(INBOUND_MAIL_WORKFLOW, {
          workflowId: inboundWorkflowId(id), taskQueue: taskQueue(app.config, 'notifications'), args: [id],
        }))
          .then(() => undefined, (error: unknown) => {
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) app.log.warn({ err: error, inboundId: id }, 'inbound mail stored; the sweep will start its workflow');
          })
          .finally(() => starting.delete(started));
        starting.add(started);
      },
    });
  });
  app.addHook('onClose', async () => {
    await app.inboundSmtp?.close();
    await Promise.all(starting);
  });
}, { name: 'inbound', dependencies: ['services'] });
