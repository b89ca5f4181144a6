import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildApp } from '../api/app';
import { startMailCatcher, type MailCatcher } from '../channels/mail-catcher';
import { ConfigError, demoUsersDecision, isLoopback, loadConfig, type Config } from '../config';
import { openDatabase } from '../db/bootstrap';
import { bootstrapAdmin, seedDemo } from '../db/seed';
import { connectClient, connectWorker } from '../temporal/client';
import { withPayloadKeys } from '../temporal/payload-keys';
import { maybeStartDevServer } from '../temporal/runtime';
import { registerSearchAttributes } from '../temporal/search-attributes';
import { startWorkers } from '../temporal/worker';
import { startDunning } from '../temporal/dunning';
import { startInboundSweep } from '../temporal/inbound';

// `npm start`: the whole system in one process tree on embedded defaults.
const log = (line: string) => console.log(`[crmflow] ${line}`);
const stops: Array<() => Promise<unknown>> = [];

async function main() {
  const configured = loadConfig();
  await mkdir(configured.dataDir, { recursive: true });
  const { config, mailCatcher } = await withMailCatcher(withInboundDefault(await withPayloadKeys(configured, { create: true })));
  const devServer = await maybeStartDevServer(config, log);
  if (devServer) stops.unshift(() => devServer.stop());

  const opened = await openDatabase(config, log);
  stops.unshift(() => opened.close());
  const db = opened.database.db;
  const admin = await bootstrapAdmin(db, config.bootstrapAdminKey);
  if (admin.apiKey) log(`Admin ${admin.userId} API key (shown once): ${admin.apiKey}`);
  const demoUsers = demoUsersDecision(config.api);
  if (demoUsers.reason) log(demoUsers.reason);
  const demo = demoUsers.seed ? await seedDemo(db) : null;
  if (demo) {
    const keysFile = path.join(config.dataDir, 'demo-keys.txt');
    const lines = demo.map((d) => `${d.role.padEnd(15)} ${d.apiKey}`);
    await writeFile(keysFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    log(`Demo users, one per role (keys also saved to ${keysFile} for development):\n  ${lines.join('\n  ')}`);
  }

  const client = await connectClient(config);
  stops.unshift(() => client.connection.close());
  const added = await registerSearchAttributes(client.connection, config.temporal.namespace);
  if (added.length) log(`Registered search attributes: ${added.join(', ')}`);

  const workerConnection = await connectWorker(config);
  stops.unshift(() => workerConnection.close());
  const workers = await startWorkers({ config, connection: workerConnection, deps: { db, config, temporal: client } });
  stops.unshift(() => workers.shutdown());
  await startDunning(client, config);
  await startInboundSweep(client, config);
  workers.done.catch((error) => {
    console.error('[crmflow] worker stopped unexpectedly', error);
    void shutdown(1);
  });

  const app = await buildApp({ config, database: opened.database, temporal: client, mailCatcher, logger: true });
  stops.unshift(() => app.close());
  await app.listen({ host: config.api.host, port: config.api.port });

  const api = `http://${isLoopback(config.api.host) || config.api.host === '0.0.0.0' ? 'localhost' : config.api.host}:${config.api.port}`;
  log('Ready.');
  log(`  API          ${api}/api/v1   (health: ${api}/health)`);
  log(`  API docs     ${api}/docs`);
  log(`  Console      ${api}/console`);
  log(`  Temporal UI  ${config.temporal.uiUrl}`);
  log(mailCatcher ? `  Mail         ${api}/console/#/mail   (mail catcher at ${mailCatcher.url})` : `  Mail         ${config.notifications.smtpUrl ? 'via CRM_SMTP_URL' : 'off (no CRM_SMTP_URL, CRM_MAIL_CATCHER=false)'}`);
  log(`  Mail in      smtp://${config.inbound.host}:${app.inboundSmtp?.port}   (new tickets and replies by e-mail)`);
  log('Press Ctrl-C to stop.');
}

/** `npm start` listens for mail on 2526 unless CRM_INBOUND_SMTP_PORT says otherwise. */
function withInboundDefault(config: Config): Config {
  return config.inbound.port === null ? { ...config, inbound: { ...config.inbound, port: 2526 } } : config;
}

/** Without an SMTP server, mail goes to a local catcher, so a newcomer sees it without configuring anything. */
async function withMailCatcher(config: Config): Promise<{ config: Config; mailCatcher: MailCatcher | null }> {
  if (config.notifications.smtpUrl || !config.notifications.mailCatcher.enabled) return { config, mailCatcher: null };
  const mailCatcher = await startMailCatcher({ port: config.notifications.mailCatcher.port });
  stops.push(() => mailCatcher.close());
  return { config: { ...config, notifications: { ...config.notifications, smtpUrl: mailCatcher.url } }, mailCatcher };
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log('Stopping …');
  for (const stop of stops) {
    try {
      await stop();
    } catch (error) {
      console.error('[crmflow] while stopping:', (error as Error).message);
    }
  }
  process.exit(code);
}

// Orderly shutdown: API, then workers draining, then the database, then Temporal.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0));
main().catch(async (error) => {
  // A configuration mistake is the operator's to fix: one line says which setting and why, no stack.
  if (error instanceof ConfigError) console.error(`[crmflow] failed to start: ${error.message}`);
  else console.error('[crmflow] failed to start:', error);
  await shutdown(1);
});
