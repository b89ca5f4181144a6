import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLES } from '../../domain/roles';
import { HttpProblem } from '../problem';
import { Nullable } from '../schemas/common';

const CaughtMail = Type.Object({
  messageId: Type.String(), from: Type.String(), to: Type.Array(Type.String()), subject: Type.String(), text: Type.String(), html: Nullable(Type.String()),
  receivedAt: Type.String(), repeats: Type.Integer({ description: 'further arrivals of the same Message-ID, dropped as a receiver would' }),
});

// The mail catcher's catch, for the console's Mail page. It exists only where `npm start` runs the
// catcher (no CRM_SMTP_URL): a local development aid, open to every role like the console itself.
export const mailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/mail-catcher/messages', {
    config: { roles: [...ROLES] },
    schema: { tags: ['notifications'], description: 'Mail caught by the local mail catcher, newest first (404 when it is not running).', response: { 200: Type.Object({ items: Type.Array(CaughtMail) }) } },
  }, async () => {
    if (!app.mailCatcher) throw new HttpProblem(404, 'no mail catcher runs here: e-mail goes to CRM_SMTP_URL, or is off');
    return { items: app.mailCatcher.messages().map(({ headers: _headers, ...mail }) => mail) };
  });
};
