import type { Role } from './roles';
import { allowedActions, refusalFor, type ActionRules } from './state-machine';
import type { Category } from './tickets';

// The knowledge base of the first line (issue 17 point 3): articles a knowledge engineer maintains and
// the support tiers read, search and cite when they resolve a ticket.

export const ARTICLE_STATUSES = ['draft', 'published'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export const ARTICLE_ACTION_NAMES = ['update', 'publish', 'unpublish'] as const;
export type ArticleAction = (typeof ARTICLE_ACTION_NAMES)[number];

const WRITERS: readonly Role[] = ['knowledge_engineer'];

/** Editing keeps an article's status: a published article stays visible while it is corrected (as in Zammad and Odoo). */
export const ARTICLE_ACTIONS: ActionRules<ArticleStatus, ArticleAction> = {
  update: { from: ['draft', 'published'], roles: WRITERS },
  publish: { from: ['draft'], roles: WRITERS },
  unpublish: { from: ['published'], roles: WRITERS },
};

export const articleActions = (status: ArticleStatus, actor?: { roles: Role[] }) => allowedActions(ARTICLE_ACTIONS, status, actor);
export const articleRefusal = (status: ArticleStatus, action: ArticleAction, actor: { roles: Role[] }) => refusalFor(ARTICLE_ACTIONS, status, action, actor);

/** The people who work tickets read the knowledge base; the manager reads everything. */
export const ARTICLE_READERS: readonly Role[] = ['agent', 'support_l2', 'support_l3', 'supervisor', 'knowledge_engineer', 'manager'];
/** Who also sees drafts; everyone else sees published articles only, and a draft does not exist for them. */
const DRAFT_READERS: readonly Role[] = ['knowledge_engineer', 'manager'];

export const seesDrafts = (roles: readonly Role[]) => roles.some((role) => DRAFT_READERS.includes(role));

/** How many published articles intake suggests for a subject and description. */
export const SUGGESTION_COUNT = 5;

/** The draft a knowledge engineer starts from a resolved ticket: what the customer asked, and what solved it. */
export function draftFromTicket(ticket: { id: string; subject: string; category: Category; resolution: string }) {
  return { title: ticket.subject, body: ticket.resolution, category: ticket.category, tags: [] as string[], sourceTicketId: ticket.id };
}
