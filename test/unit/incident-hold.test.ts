import { describe, expect, it } from 'vitest';
import { entitlementVerdict, type ServiceContractFacts } from '../../domain/entitlement';
import {
  claim, customerReply, escalate, holdForIncident, merge, reject, releaseIncidentHold, requestInfo, resolutionDueAt, resolveByIncident,
  ticketView,
} from '../../domain/processes/ticket-state';
import { input, MIN, opened, T0 } from '../helpers/ticket-fixtures';

const DAY = 1440 * MIN;
const DEADLINE = T0 + 8 * 60 * MIN;

describe('a major incident holding a ticket', () => {
  it('keeps the resolution clock paused through escalation, a claim and a customer reply, with the reason shown', () => {
    let t = holdForIncident(opened(), 'INC-2026-000001', T0 + 10 * MIN);
    t = claim(escalate(t, 'fibre cut', T0 + 20 * MIN), 'U-l2');
    t = customerReply(requestInfo(t, T0 + 30 * MIN), T0 + 40 * MIN);
    expect(resolutionDueAt(t)).toBeNull();
    expect(ticketView(t, input).sla).toMatchObject({ resolutionPaused: true, pauseReason: 'major incident' });
    expect(ticketView(requestInfo(claim(escalate(opened(), 'x', T0), 'U-l2'), T0), input).sla.pauseReason).toBe('pending customer');
  });

  it('resolves with the incident and, reopened, resumes with the deadline moved by exactly the held time', () => {
    const held = holdForIncident(opened(), 'INC-2026-000001', T0 + 10 * MIN);
    const resolved = resolveByIncident(held, 'fibre spliced', T0 + 70 * MIN);
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'fibre spliced', heldBy: null, incidentId: 'INC-2026-000001', confirmationDueAt: T0 + 100 * MIN });
    const reopened = reject(resolved, T0 + 90 * MIN);
    expect(resolutionDueAt(reopened)).toBe(DEADLINE + 80 * MIN);
  });

  it('lets the clock run again when the incident ended before the ticket could attach', () => {
    const released = releaseIncidentHold(holdForIncident(opened(), 'INC-2026-000001', T0 + 10 * MIN), T0 + 15 * MIN);
    expect(released.heldBy).toBeNull();
    expect(resolutionDueAt(released)).toBe(DEADLINE + 5 * MIN);
  });

  it('merging stops every clock and names the ticket that carries on', () => {
    const merged = merge(opened(), 'T-2026-000002', T0 + 5 * MIN);
    expect(merged).toMatchObject({ status: 'merged', mergedInto: 'T-2026-000002', closedAt: T0 + 5 * MIN, responseClock: null });
    expect(resolutionDueAt(merged)).toBeNull();
  });
});

describe('entitlement verdict', () => {
  const contract = (over: Partial<ServiceContractFacts> = {}): ServiceContractFacts => ({
    id: 'C-1', activatedAt: T0, validFrom: T0 - DAY, validTo: T0 + 30 * DAY, endedAt: null, coveredCategories: null, sla: { resolutionMultiplier: 0.5 }, ...over,
  });

  it('is covered by a contract in force naming no categories, and the most recently activated of several wins', () => {
    expect(entitlementVerdict([contract()], 'billing', T0 + DAY)).toEqual({ entitled: true, reason: 'covered', contractId: 'C-1' });
    expect(entitlementVerdict([contract(), contract({ id: 'C-2', activatedAt: T0 + 1 })], 'fault', T0 + DAY).contractId).toBe('C-2');
  });

  it('names the nearest miss: another category, ended (also when terminated early), not yet valid, none', () => {
    const faults = contract({ coveredCategories: ['fault'] });
    expect(entitlementVerdict([faults], 'billing', T0 + DAY)).toMatchObject({ entitled: false, reason: 'category_not_covered', contractId: 'C-1' });
    expect(entitlementVerdict([faults], 'fault', T0 + 30 * DAY)).toMatchObject({ entitled: false, reason: 'expired' });
    expect(entitlementVerdict([contract({ endedAt: T0 + 2 * DAY })], 'fault', T0 + 3 * DAY)).toMatchObject({ entitled: false, reason: 'expired' });
    expect(entitlementVerdict([faults], 'fault', T0 - MIN)).toMatchObject({ entitled: false, reason: 'not_yet_valid' });
    expect(entitlementVerdict([contract({ activatedAt: null })], 'fault', T0)).toEqual({ entitled: false, reason: 'no_service_contract', contractId: null });
    expect(entitlementVerdict([], 'fault', T0)).toEqual({ entitled: false, reason: 'no_service_contract', contractId: null });
  });
});
