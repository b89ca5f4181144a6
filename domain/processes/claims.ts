import type { Tier, TicketState } from '../tickets';

// Returning a user's ticket claims to their tier queues (deactivation, a tier taken away): one short
// workflow per user that releases each claim through the ticket's own Update, so every ticket records it
// in its timeline and a crash half-way resumes where it stopped (see workflows/claims.ts).

export const RETURN_CLAIMS_WORKFLOW = 'returnClaimsWorkflow';
/** One per change of a user (`change` tells them apart), so the Temporal UI lists a user's returns together. */
export const returnClaimsWorkflowId = (userId: string, change: string) => `user-claims-${userId}-${change}`;

/**
 * Which claims go back is read from the user's row when the workflow runs, not from the request: an
 * inactive user keeps none, an active one keeps those at the tiers their roles still work.
 */
export interface ReturnClaimsInput {
  userId: string;
  /** The note each ticket's timeline gets, e.g. "U-000042 was deactivated by U-000001". */
  reason: string;
}

/** A ticket the user holds: working it, or waiting for its customer's answer. */
export interface HeldTicket {
  ticketId: string;
  status: TicketState;
  tier: Tier;
}

export interface ReturnedClaims {
  /** Tickets now back in their tier's queue, in ticket order. */
  returned: string[];
  /** Tickets that moved on before their turn (resolved, closed meanwhile), with the ticket's refusal. */
  refused: Array<{ ticketId: string; reason: string }>;
}
