import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Actor, Role } from '../../domain/roles';
import { deadlineOf, pauseClock, remainingOf, reminderDueOf, resumeClock, startClock } from '../../domain/sla-clock';
import { queueTierOf, ROLE_TIER, TICKET_STATES, TIER_ROLE, TIERS, ticketActions, ticketRefusal, type TicketFacts } from '../../domain/tickets';

const actor = (role: Role, id = `U-${role}`): Actor => ({ id, name: role, roles: [role] });
const ticket = (overrides: Partial<TicketFacts> = {}): TicketFacts => ({ state: 'new', tier: 'L1', category: 'fault', assigneeId: null, ...overrides });

describe('ticket rules', () => {
  it('lets an agent escalate but not resolve a fault at L1, and resolve a consultation', () => {
    expect(ticketActions(ticket(), actor('agent'))).toEqual(expect.arrayContaining(['escalate', 'notes']));
    expect(ticketActions(ticket(), actor('agent'))).not.toContain('resolve');
    expect(ticketRefusal(ticket(), 'resolve', actor('agent'))).toMatchObject({ kind: 'invalid_state', state: 'new' });
    expect(ticketActions(ticket({ category: 'consultation' }), actor('agent'))).toContain('resolve');
  });

  it('keeps support staff to their tier and to their own claimed tickets', () => {
    const queued = ticket({ state: 'escalated_l2', tier: 'L2' });
    expect(ticketRefusal(queued, 'claim', actor('support_l2'))).toBeNull();
    expect(ticketRefusal(queued, 'claim', actor('support_l3'))).toMatchObject({ kind: 'forbidden' });
    const claimed = ticket({ state: 'in_progress_l2', tier: 'L2', assigneeId: 'U-a' });
    expect(ticketRefusal(claimed, 'resolve', actor('support_l2', 'U-a'))).toBeNull();
    expect(ticketRefusal(claimed, 'resolve', actor('support_l2', 'U-b'))).toMatchObject({ kind: 'forbidden' });
    expect(ticketRefusal(claimed, 'resolve', actor('supervisor'))).toBeNull();
    expect(ticketRefusal(claimed, 'claim', actor('support_l2', 'U-b'))).toMatchObject({ kind: 'invalid_state', state: 'in_progress_l2' });
  });

  it('never escalates above L3 and never acts on a finished ticket', () => {
    expect(ticketRefusal(ticket({ state: 'in_progress_l3', tier: 'L3', assigneeId: 'U-s' }), 'escalate', actor('supervisor'))).toMatchObject({ kind: 'invalid_state' });
    for (const state of ['closed', 'cancelled'] as const) {
      for (const role of ['agent', 'support_l2', 'support_l3', 'supervisor'] as const) {
        expect(ticketActions(ticket({ state, tier: 'L2' }), actor(role))).toEqual([]);
      }
    }
  });

  it('offers exactly the actions it would admit (the buttons never lie)', () => {
    const roles: Role[] = ['agent', 'support_l2', 'support_l3', 'supervisor', 'manager'];
    fc.assert(fc.property(
      fc.constantFrom(...TICKET_STATES), fc.constantFrom('L1', 'L2', 'L3' as const), fc.constantFrom('fault', 'consultation' as const),
      fc.constantFrom(null, 'U-a', 'U-b'), fc.constantFrom(...roles), fc.constantFrom('U-a', 'U-b'),
      (state, tier, category, assigneeId, role, id) => {
        const facts = ticket({ state, tier, category, assigneeId });
        const who = actor(role, id);
        for (const action of ['escalate', 'claim', 'release', 'notes', 'request-info', 'customer-reply', 'resolve', 'confirm', 'reject', 'cancel', 'reassign'] as const) {
          expect(ticketActions(facts, who).includes(action)).toBe(ticketRefusal(facts, action, who) === null);
        }
      },
    ));
  });
});

describe('SLA clock', () => {
  const HOUR = 3_600_000;
  it('pauses and resumes without losing or gaining time', () => {
    let clock = startClock(8 * HOUR, 0);
    expect(deadlineOf(clock, null)).toBe(8 * HOUR);
    expect(reminderDueOf(clock, 0.8, null)).toBe(6.4 * HOUR);
    clock = pauseClock(clock, 2 * HOUR, null);
    expect(deadlineOf(clock, null)).toBeNull();
    expect(remainingOf(clock, 5 * HOUR, null)).toBe(6 * HOUR);
    clock = resumeClock(clock, 5 * HOUR);
    expect(deadlineOf(clock, null)).toBe(11 * HOUR);
  });

  it('never shortens a deadline by pausing', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100 * HOUR }), fc.nat(50 * HOUR), fc.nat(50 * HOUR), (window, pauseAt, pauseFor) => {
      const clock = startClock(window, 0);
      const resumed = resumeClock(pauseClock(clock, pauseAt, null), pauseAt + pauseFor);
      expect(deadlineOf(resumed, null)!).toBeGreaterThanOrEqual(deadlineOf(clock, null)!);
      // Paused in time: the deadline moves by the pause. Paused when already overdue: it is due at resumption.
      const expected = pauseAt <= window ? window + pauseFor : pauseAt + pauseFor;
      expect(deadlineOf(resumed, null)).toBe(expected);
    }));
  });
});

describe('tiers and roles', () => {
  it('reads the tier of a role from the one tier → role map', () => {
    for (const tier of TIERS) expect(ROLE_TIER[TIER_ROLE[tier]]).toBe(tier);
    expect(Object.keys(ROLE_TIER)).toHaveLength(TIERS.length);
  });

  it("opens the queue of a support user's first tier role, and none for agents or supervisors", () => {
    expect(queueTierOf(['support_l3'])).toBe('L3');
    expect(queueTierOf(['agent', 'support_l3', 'support_l2'])).toBe('L3');
    expect(queueTierOf(['support_l2', 'support_l3'])).toBe('L2');
    expect(queueTierOf(['agent', 'supervisor'])).toBeUndefined();
  });
});
