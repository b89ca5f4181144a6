import type { Actor, Role } from './roles';
import { ROLE_TIER, TIER_ROLE, TIERS, type Tier } from './tickets';

// User administration (issue 17, point 6): a user's tiers are the tier roles they hold (agent works L1,
// support_l2 the L2 queue, support_l3 the L3 queue), so changing tiers is changing those roles.

/** The tiers these roles work, in tier order. */
export function tiersOf(roles: readonly Role[]): Tier[] {
  return TIERS.filter((tier) => roles.some((role) => ROLE_TIER[role] === tier));
}

/** The roles with the tier roles replaced by those of `tiers`; the other roles stay as they are. */
export function withTiers(roles: readonly Role[], tiers: readonly Tier[]): Role[] {
  const others = roles.filter((role) => ROLE_TIER[role] === undefined);
  return [...others, ...TIERS.filter((tier) => tiers.includes(tier)).map((tier) => TIER_ROLE[tier])];
}

/**
 * Who returns a claim when its holder is deactivated or loses the tier: the administration, acting with
 * a supervisor's right to release or move any ticket. The timeline names it, and the note names the user.
 */
export const USER_ADMINISTRATION: Actor = { id: 'user-administration', name: 'User administration', roles: ['supervisor'] };
