import type { Client } from '@temporalio/client';
import fp from 'fastify-plugin';
import type { MailCatcher } from '../../channels/mail-catcher';
import type { Config } from '../../config';
import type { Database } from '../../db/client';

export interface AppServices {
  config: Config;
  database: Database;
  temporal: Client;
  /** The local mail catcher `npm start` runs when no SMTP server is configured; its mail shows under the console. */
  mailCatcher?: MailCatcher | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: Database;
    db: Database['db'];
    temporal: Client;
    mailCatcher: MailCatcher | null;
  }
}

// The app borrows its connections; whoever opened them (server.ts, start.ts, a test) closes them.
export const servicesPlugin = fp<AppServices>(async (app, services) => {
  app.decorate('config', services.config);
  app.decorate('database', services.database);
  app.decorate('db', services.database.db);
  app.decorate('temporal', services.temporal);
  app.decorate('mailCatcher', services.mailCatcher ?? null);
}, { name: 'services' });
