import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { UpdateDefinition } from '@temporalio/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import { findPortalLink, markPortalLinkUsed, type PortalLink } from '../../db/portal';
import { tickets } from '../../db/schema';
import { contactActor } from '../../domain/inbound';
import { PORTAL_PATH, type PortalPurpose } from '../../domain/portal';
import { ticketUpdates, type TicketActionArgs, type TicketView } from '../../domain/processes/ticket';
import { audit } from '../audit';
import { toProblem } from '../plugins/errors';
import { askPage, noticePage, PORTAL_CSP, wordsFor, type PortalAction, type PortalWord } from '../portal-page';
import { updateProcess } from '../process';

// The customer's single-ticket pages (SPEC §9): `GET /portal/t/<token>` shows the ticket's subject and
// what it asks, and the forms POST back to `/portal/t/<token>/<action>`. The token in the path is the
// capability (db/portal.ts), so the routes are public; each answer goes through the same workflow Update
// as the API, with the customer's contact as the actor.

const FORM_LIMIT = 16 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    portalLanguage: string | null;
  }
}

/** What each form does: the purpose its link must have, the Update it sends, and the thanks it answers with. */
const ACTIONS = {
  solved: { purpose: 'resolution', update: 'confirm', thanks: 'confirmed' },
  'not-solved': { purpose: 'resolution', update: 'reject', thanks: 'rejected' },
  answer: { purpose: 'question', update: 'customer-reply', thanks: 'answered' },
} as const satisfies Record<PortalAction, { purpose: PortalPurpose; update: keyof TicketActionArgs; thanks: PortalWord }>;

type Form = Partial<Record<'satisfaction' | 'comment' | 'reason' | 'text', string>>;

/** The Update's arguments from the form, or the word that says what is missing. */
function argsOf(action: PortalAction, form: Form): { args: object } | { missing: PortalWord } {
  const trimmed = (value: string | undefined) => value?.trim() ?? '';
  switch (action) {
    case 'solved': {
      if (!/^[1-5]$/.test(form.satisfaction ?? '')) return { missing: 'missingScore' };
      const comment = trimmed(form.comment);
      return { args: { satisfaction: Number(form.satisfaction), ...(comment ? { comment } : {}) } };
    }
    case 'not-solved':
      return trimmed(form.reason) ? { args: { reason: trimmed(form.reason) } } : { missing: 'missingReason' };
    case 'answer':
      return trimmed(form.text) ? { args: { text: trimmed(form.text) } } : { missing: 'missingAnswer' };
  }
}

const DEAD_STATUS = { unknown: 404, expired: 410, used: 410, revoked: 410 } as const;

/**
 * A form may only be sent from its own page. The token already keeps other sites from forging an answer
 * (they cannot know it), and this refuses a request a browser says came from elsewhere: Sec-Fetch-Site
 * where the browser sends it, else Origin (the pages' `Referrer-Policy: same-origin` keeps it real).
 * A client that sends neither is no browser another site could steer.
 */
function fromOwnPage(request: FastifyRequest, publicUrl: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return origin === new URL(publicUrl).origin || origin === `${request.protocol}://${request.headers.host}`;
}

export const portalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Browsers send forms as application/x-www-form-urlencoded; only these routes accept it.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.addHook('onSend', async (_request, reply) => {
    // The token is in the URL: no cache keeps the page, and no other site is ever told the address.
    reply.header('content-security-policy', PORTAL_CSP).header('referrer-policy', 'same-origin').header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex');
  });

  const html = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').send(body);

  // The customer's language once their link is known, so even a failure is told in it.
  app.decorateRequest('portalLanguage', null);

  // Whatever goes wrong here is told as a page, in words, not as problem+json.
  app.setErrorHandler(async (error, request, reply) => {
    const problem = toProblem(error, { bodyLimit: FORM_LIMIT });
    if (problem.status >= 500) request.log.warn({ err: error }, 'portal request failed');
    const word: PortalWord = problem.status === 409 ? 'movedOn' : problem.status === 429 ? 'tooMany' : problem.status === 503 || problem.status === 504 ? 'unavailable' : 'failed';
    if (typeof problem.retryAfterSeconds === 'number') void reply.header('retry-after', String(problem.retryAfterSeconds));
    const w = wordsFor(request.portalLanguage);
    return html(reply, problem.status, noticePage(request.portalLanguage, w.deadTitle, w[word]));
  });

  function dead(reply: FastifyReply, link: Exclude<PortalLink, { state: 'valid' }>) {
    const language = link.state === 'unknown' ? null : link.language;
    return html(reply, DEAD_STATUS[link.state], noticePage(language, wordsFor(language).deadTitle, wordsFor(language)[link.state]));
  }

  const Token = Type.Object({ token: Type.String({ maxLength: 100 }) });
  const options = { config: { public: true }, schema: { hide: true, params: Token } };

  app.get(`${PORTAL_PATH}:token`, options, async (request, reply) => {
    const link = await findPortalLink(app.db, request.params.token, new Date());
    if (link.state !== 'valid') return dead(reply, link);
    return html(reply, 200, askPage({ language: link.language, token: request.params.token, purpose: link.purpose, subject: link.ticket.subject, asked: link.asked }));
  });

  const FormBody = Type.Object({
    satisfaction: Type.Optional(Type.String({ maxLength: 10 })), comment: Type.Optional(Type.String({ maxLength: 2000 })),
    reason: Type.Optional(Type.String({ maxLength: 2000 })), text: Type.Optional(Type.String({ maxLength: 5000 })),
  });
  for (const action of Object.keys(ACTIONS) as PortalAction[]) {
    const spec = ACTIONS[action];
    app.post(`${PORTAL_PATH}:token/${action}`, { ...options, bodyLimit: FORM_LIMIT, schema: { ...options.schema, body: FormBody } }, async (request, reply) => {
      const { token } = request.params;
      const link = await findPortalLink(app.db, token, new Date());
      if (link.state !== 'valid') return dead(reply, link);
      request.portalLanguage = link.language;
      if (!fromOwnPage(request, app.config.notifications.publicUrl)) {
        const w = wordsFor(link.language);
        return html(reply, 403, noticePage(link.language, w.deadTitle, w.otherSite));
      }
      // A resolution link cannot answer a question, nor the other way round: the link decides what is asked.
      if (link.purpose !== spec.purpose) return dead(reply, { state: 'unknown' });
      const form = request.body as Form;
      const parsed = argsOf(action, form);
      if ('missing' in parsed) {
        const values = Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
        return html(reply, 422, askPage({
          language: link.language, token, purpose: link.purpose, subject: link.ticket.subject, asked: link.asked, error: { action, word: parsed.missing, values },
        }));
      }
      const actor = contactActor(link.contact);
      const update = ticketUpdates[spec.update] as UpdateDefinition<TicketView, [object]>;
      await updateProcess(app, {
        workflowId: link.ticket.workflowId, update, args: [{ ...parsed.args, actor }],
        finalState: async () => (await app.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, link.ticket.id)))[0]?.status ?? null,
        // A second press of the button (or a retried request) is the same action, answered by the first.
        updateId: `portal-${link.id}-${action}`,
      });
      await markPortalLinkUsed(app.db, link.id, new Date());
      await audit(app.db, actor, `ticket.${spec.update}`, 'ticket', link.ticket.id, { ...parsed.args, via: 'portal' });
      const w = wordsFor(link.language);
      return html(reply, 200, noticePage(link.language, w.thanks, w[spec.thanks]));
    });
  }
};
