import { DURATION_PATTERN, parseDuration } from './duration';
import { MONEY_PATTERN } from './money';

// Every configurable number of the spec (Appendix A), stored in the `settings` table.
// A process reads a snapshot when it starts and keeps it (SPEC: "a running process keeps the values it started with").
type SettingKind = 'duration' | 'ratio' | 'positive' | 'integer' | 'money' | 'rate' | 'percent' | 'calendar' | 'boolean';

interface SettingDef {
  kind: SettingKind;
  default: string | number | boolean | null;
  description: string;
}

const d = (value: string, description: string): SettingDef => ({ kind: 'duration', default: value, description });

/** The calendar setting of one SLA policy; the literal key type keeps every key checked where it is read. */
function policyCalendar<P extends string, T extends string>(priority: P, tier: T): Record<`sla.calendar.${P}.${T}`, SettingDef> {
  const def: SettingDef = { kind: 'calendar', default: null, description: `business-hours calendar of ${priority} tickets of ${tier} customers; null = sla.calendar` };
  return { [`sla.calendar.${priority}.${tier}`]: def } as Record<`sla.calendar.${P}.${T}`, SettingDef>;
}

export const SETTINGS = {
  'sla.urgent.response': d('15m', 'urgent tickets: time from entering a queue to being claimed'),
  'sla.urgent.resolution': d('4h', 'urgent tickets: time to resolve'),
  'sla.high.response': d('1h', 'high priority: response window'),
  'sla.high.resolution': d('8h', 'high priority: resolution window'),
  'sla.normal.response': d('4h', 'normal priority: response window'),
  'sla.normal.resolution': d('24h', 'normal priority: resolution window'),
  'sla.low.response': d('8h', 'low priority: response window'),
  'sla.low.resolution': d('72h', 'low priority: resolution window'),
  'sla.multiplier.vip': { kind: 'positive', default: 0.5, description: 'SLA windows are multiplied by this for VIP customers' },
  'sla.multiplier.key': { kind: 'positive', default: 0.75, description: 'SLA windows are multiplied by this for key accounts' },
  'sla.reminderAt': { kind: 'ratio', default: 0.8, description: 'share of a window after which the queue is reminded' },
  'sla.calendar': { kind: 'calendar', default: null, description: 'business-hours calendar name for SLA clocks; null = 24x7' },
  // One calendar per SLA policy (priority × customer tier): a VIP's urgent fault may run 24×7 while low
  // priority work keeps office hours. Unset, the policy takes sla.calendar.
  ...policyCalendar('urgent', 'vip'), ...policyCalendar('urgent', 'key'), ...policyCalendar('urgent', 'standard'),
  ...policyCalendar('high', 'vip'), ...policyCalendar('high', 'key'), ...policyCalendar('high', 'standard'),
  ...policyCalendar('normal', 'vip'), ...policyCalendar('normal', 'key'), ...policyCalendar('normal', 'standard'),
  ...policyCalendar('low', 'vip'), ...policyCalendar('low', 'key'), ...policyCalendar('low', 'standard'),
  'ticket.confirmationWindow': d('72h', 'time the customer has to confirm a resolution before the ticket closes'),
  'ticket.pendingCustomerTimeout': d('7d', 'time a ticket waits for the customer\'s answer to a question before ticket.pendingCustomerCloses applies'),
  'ticket.pendingCustomerCloses': {
    kind: 'boolean', default: true, description: 'true: an unanswered question closes the ticket with a notice to the customer; false: work resumes at its tier',
  },
  'order.creditHoldTimeout': d('24h', 'credit hold awaiting a finance decision before the order is cancelled'),
  'order.backorderTimeout': d('14d', 'backorder awaiting restock before the order is cancelled'),
  'order.activationTimeout': d('1h', 'service activation confirmation before a manual report task opens'),
  'order.prepaidPaymentTimeout': d('48h', 'prepaid order awaiting payment before it is cancelled'),
  'order.creditRequiresContract': {
    kind: 'boolean', default: false,
    description: 'a credit-terms order needs a contract (a call-off); off: credit terms within the customer\'s credit limit suffice',
  },
  'order.invoiceDueDays': { kind: 'integer', default: 30, description: 'days until a credit-terms invoice is due' },
  'order.returnWindowDays': { kind: 'integer', default: 30, description: 'days after delivery within which goods can be returned' },
  'contract.approval.financeFrom': { kind: 'money', default: '100000.00', description: 'contract value from which finance approves' },
  'contract.approval.legalFrom': { kind: 'money', default: '500000.00', description: 'contract value from which legal approves' },
  'contract.retentionDiscountWithoutApproval': {
    kind: 'percent', default: 10, description: 'a retention discount up to this percent is granted without approval; a deeper one goes through the approval chain',
  },
  'invoice.lateFeeRatePerDay': { kind: 'rate', default: 0.003, description: 'late fee per day overdue, as a share of the amount' },
  'invoice.lateFeeMaxDays': { kind: 'integer', default: 90, description: 'days overdue counted at most' },
  'invoice.lateFeeCap': { kind: 'money', default: '3000.00', description: 'late fee cap per invoice' },
  'credit.defaultLimit': { kind: 'money', default: '1000.00', description: 'the highest credit limit a new customer may be given by anyone but finance' },
  'credit.selfServiceLimit': {
    kind: 'money', default: '10000.00', description: 'finance raises a credit limit up to this alone; raising it above needs a second finance user\'s approval',
  },
  // Segregation of duties (four eyes), on by default; a small team may relax a rule, and every action under
  // a relaxed rule is written to the audit log. A running process keeps the value it started with.
  'fourEyes.contractApproval': { kind: 'boolean', default: true, description: 'whoever drafted or submitted a contract, or proposed an amendment, may not approve it' },
  'fourEyes.creditDecision': { kind: 'boolean', default: true, description: 'whoever placed an order may not decide its credit hold' },
} as const satisfies Record<string, SettingDef>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue = string | number | boolean | null;
export type Settings = Record<SettingKey, SettingValue>;

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

export function defaultSettings(): Settings {
  return Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].default])) as Settings;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Returns a problem description, or null when the value fits the setting. */
export function validateSetting(key: SettingKey, value: unknown): string | null {
  const def: SettingDef = SETTINGS[key];
  switch (def.kind) {
    case 'duration':
      if (typeof value !== 'string' || !new RegExp(DURATION_PATTERN).test(value) || parseDuration(value) <= 0)
        return 'must be a positive duration such as "90s", "15m", "4h" or "14d"';
      return null;
    case 'ratio':
      return typeof value === 'number' && value > 0 && value < 1 ? null : 'must be a number between 0 and 1 (exclusive)';
    case 'positive':
      return typeof value === 'number' && value > 0 && value <= 10 ? null : 'must be a number greater than 0 and at most 10';
    case 'integer':
      return Number.isInteger(value) && (value as number) > 0 && (value as number) <= 3650 ? null : 'must be a whole number from 1 to 3650';
    case 'rate':
      return typeof value === 'number' && value >= 0 && value < 1 ? null : 'must be a number from 0 to below 1';
    case 'percent':
      // At most two decimals, so it is read exactly as a decimal (never as "1e-7").
      return typeof value === 'number' && value >= 0 && value <= 100 && /^\d+(\.\d{1,2})?$/.test(String(value)) ? null : 'must be a number from 0 to 100 with at most two decimals';
    case 'money':
      return typeof value === 'string' && new RegExp(MONEY_PATTERN).test(value) ? null : 'must be a decimal string with two places, e.g. "100000.00"';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'calendar':
      return value === null || (typeof value === 'string' && NAME.test(value)) ? null : 'must be null or a calendar name';
  }
}
