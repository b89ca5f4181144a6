import type { NotificationKind } from './notifications';

// SPEC §9: the customer's single-ticket page (`/portal/t/<token>`), reached from a link in their e-mail,
// no account needed. A link answers one thing: a resolution (solved with a score, or not solved with a
// reason) or a pending question.

export type PortalPurpose = 'resolution' | 'question';

/** The notification whose e-mail to the customer carries the link. */
const PORTAL_KINDS: Record<PortalPurpose, NotificationKind> = { resolution: 'ticket.resolved', question: 'ticket.customer_question' };

export const portalPurposeOf = (kind: string): PortalPurpose | null =>
  (Object.keys(PORTAL_KINDS) as PortalPurpose[]).find((purpose) => PORTAL_KINDS[purpose] === kind) ?? null;

export const PORTAL_PATH = '/portal/t/';

/**
 * The links a customer's e-mail of a portal kind carries, as template fields. The resolution page holds
 * both answers; each link jumps to its own (the fragment never reaches the server or its logs).
 */
export function portalLinks(purpose: PortalPurpose, publicUrl: string, token: string): Record<string, string> {
  const page = `${publicUrl}${PORTAL_PATH}${token}`;
  return purpose === 'resolution' ? { solvedUrl: `${page}#solved`, notSolvedUrl: `${page}#not-solved` } : { answerUrl: page };
}

/** A score this low asks a supervisor to look at the ticket. */
export const isLowSatisfaction = (satisfaction: number | null): boolean => satisfaction !== null && satisfaction <= 2;
