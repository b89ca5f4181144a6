import { mkdir } from 'node:fs/promises';
import { buildApp } from '../api/app';
import { startMailCatcher, type MailCatcher } from '../channels/mail-catcher';
import { loadConfig, type Config } from '../config';
import { openDatabase } from '../db/bootstrap';
import { connectClient, connectWorker } from '../temporal/client';
import { withPayloadKeys } from '../temporal/payload-keys';
import { maybeStartDevServer } from '../temporal/runtime';
import { registerSearchAttributes } from '../temporal/search-attributes';
import { startWorkers } from '../temporal/worker';
import { startDunning } from '../temporal/dunning';
import { startInboundSweep } from '../temporal/inbound';
import { bootstrapPeople, log, orderlyShutdown, printUrls } from './stack';

// `npm start`: the whole system in one process tree on embedded defaults.
// Orderly shutdown: API, then workers draining, then the database, then Temporal.
const stack = orderlyShutdown();

stack.run(async () => {
  const configured = loadConfig();
  await mkdir(configured.dataDir, { recursive: true });
  const { config, mailCatcher } = await withMailCatcher(withInboundDefault(await withPayloadKeys(configured, { create: true })));
  const devServer = await maybeStartDevServer(config, log);
  if (devServer) stack.onStop(() => devServer.stop());

  const opened = await openDatabase(config, log);
  stack.onStop(() => opened.close());
  const db = opened.database.db;
  await bootstrapPeople(config, db);

  const client = await connectClient(config);
  stack.onStop(() => client.connection.close());
  const added = await registerSearchAttributes(client.connection, config.temporal.namespace);
  if (added.length) log(`Registered search attributes: ${added.join(', ')}`);

  const workerConnection = await connectWorker(config);
  stack.onStop(() => workerConnection.close());
  const workers = await startWorkers({ config, connection: workerConnection, deps: { db, config, temporal: client } });
  stack.onStop(() => workers.shutdown());
  await startDunning(client, config);
  await startInboundSweep(client, config);
  workers.done.catch((error) => {
    console.error('[crmflow] worker stopped unexpectedly', error);
    void stack.shutdown(1);
  });

  const app = await buildApp({ config, database: opened.database, temporal: client, mailCatcher, logger: true });
  stack.onStop(() => app.close());
  await app.listen({ host: config.api.host, port: config.api.port });
  printUrls(config, [
    ['Mail', mailCatcher ? `${config.notifications.publicUrl}/console/#/mail   (mail catcher at ${mailCatcher.url})` : config.notifications.smtpUrl ? 'via CRM_SMTP_URL' : 'off (no CRM_SMTP_URL, CRM_MAIL_CATCHER=false)'],
    ['Mail in', `smtp://${config.inbound.host}:${app.inboundSmtp?.port}   (new tickets and replies by e-mail)`],
  ]);
});

/** `npm start` listens for mail on 2526 unless CRM_INBOUND_SMTP_PORT says otherwise. */
function withInboundDefault(config: Config): Config {
  return config.inbound.port === null ? { ...config, inbound: { ...config.inbound, port: 2526 } } : config;
}

/** Without an SMTP server, mail goes to a local catcher, so a newcomer sees it without configuring anything. */
async function withMailCatcher(config: Config): Promise<{ config: Config; mailCatcher: MailCatcher | null }> {
  if (config.notifications.smtpUrl || !config.notifications.mailCatcher.enabled) return { config, mailCatcher: null };
  const mailCatcher = await startMailCatcher({ port: config.notifications.mailCatcher.port });
  stack.onStop(() => mailCatcher.close());
  return { config: { ...config, notifications: { ...config.notifications, smtpUrl: mailCatcher.url } }, mailCatcher };
}
