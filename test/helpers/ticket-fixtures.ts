import type { TicketInput, TicketPolicy } from '../../domain/processes/ticket';
import { newTicket, openTicket, withPolicy, type TicketProcess } from '../../domain/processes/ticket-state';

// One ticket for the pure state tests: opened on a Monday at 09:00 UTC with a 1 h response and an 8 h
// resolution window, so every deadline in them is a sum that can be checked by hand.
export const T0 = Date.parse('2026-03-02T09:00:00Z');
export const MIN = 60_000;
export const policy: TicketPolicy = {
  customerTier: 'standard', sla: { responseMs: 60 * MIN, resolutionMs: 8 * 60 * MIN, reminderAt: 0.8, source: 'policy' },
  calendarName: null, calendar: null, confirmationWindowMs: 30 * MIN,
};
export const input: TicketInput = {
  number: 'T-2026-000001', customerId: 'CUS-000001', channel: 'phone', category: 'fault', priority: 'high', subject: 'Line down', description: 'No tone',
  actor: { id: 'U-agent', name: 'Agent', roles: ['agent'] },
};
export const opened = (): TicketProcess => openTicket(withPolicy(newTicket(T0), policy));
