import { MONEY_PATTERN, toCents } from './money';
import type { Actor, Role } from './roles';
import type { SettingKey, Settings } from './settings';

// Field-level authorisation: who may set each field of a body, declared next to the route's roles
// (`config.fields`) so the doors test can enumerate it. A role admitted to the route but not named for a
// field may still send the field when the rule gives a bound it stays within (an agent creates a customer
// of tier `standard`, with a credit limit up to `credit.defaultLimit`); otherwise sending it is refused.

/** What everyone else admitted to the route may still set the field to. */
export type FieldBound =
  | { equals: string }
  /** A money value no higher than a money setting. */
  | { atMostSetting: SettingKey };

export interface FieldRule {
  /** Roles that may set the field to any valid value. */
  roles: readonly Role[];
  otherwise?: FieldBound;
}

/** A route's declaration: a field named with a list of roles, or a rule with a bound for the others. */
export type FieldRules = Readonly<Record<string, readonly Role[] | FieldRule>>;

export function normaliseFieldRule(rule: readonly Role[] | FieldRule): FieldRule {
  return Array.isArray(rule) ? { roles: rule as readonly Role[] } : (rule as FieldRule);
}

/** How a role may set one field: freely, within a bound, or not at all. */
export type FieldAccess = 'any' | 'none' | { bound: FieldBound };

export function fieldAccess(rule: FieldRule, roles: readonly Role[]): FieldAccess {
  if (roles.some((role) => rule.roles.includes(role))) return 'any';
  return rule.otherwise ? { bound: rule.otherwise } : 'none';
}

export function describeBound(bound: FieldBound, settings?: Pick<Settings, SettingKey>): string {
  if ('equals' in bound) return `only "${bound.equals}"`;
  const limit = settings?.[bound.atMostSetting];
  return `at most ${limit === undefined ? `the setting ${bound.atMostSetting}` : `${String(limit)} (the setting ${bound.atMostSetting})`}`;
}

export interface FieldRefusal {
  path: string;
  message: string;
}

/**
 * The fields of `body` this actor may not set, each with why. `settings` is needed only for bounds that
 * name a setting. A value of the wrong shape is left to the body's schema (400), not judged here.
 */
export function fieldRefusals(rules: FieldRules, body: unknown, actor: Pick<Actor, 'roles'>, settings?: Pick<Settings, SettingKey>): FieldRefusal[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const refusals: FieldRefusal[] = [];
  for (const [field, declared] of Object.entries(rules)) {
    if (!Object.hasOwn(body, field)) continue;
    const rule = normaliseFieldRule(declared);
    const access = fieldAccess(rule, actor.roles);
    if (access === 'any') continue;
    const value = (body as Record<string, unknown>)[field];
    const who = rule.roles.length > 0 ? `only ${rule.roles.join(', ')} may set it` : 'nobody may set it here';
    if (access === 'none') {
      refusals.push({ path: `/${field}`, message: `${field}: ${who}` });
      continue;
    }
    if (!withinBound(access.bound, value, settings)) {
      refusals.push({ path: `/${field}`, message: `${field}: ${describeBound(access.bound, settings)} for ${actor.roles.join(', ')}; ${who} otherwise` });
    }
  }
  return refusals;
}

const MONEY = new RegExp(MONEY_PATTERN);

function withinBound(bound: FieldBound, value: unknown, settings?: Pick<Settings, SettingKey>): boolean {
  if ('equals' in bound) return value === bound.equals;
  if (typeof value !== 'string' || !MONEY.test(value)) return true; // the schema refuses it (400)
  const limit = settings?.[bound.atMostSetting];
  if (typeof limit !== 'string') return false;
  return toCents(value) <= toCents(limit);
}

/** Whether a rule set needs the settings to be judged. */
export function needsSettings(rules: FieldRules): boolean {
  return Object.values(rules).some((rule) => {
    const bound = normaliseFieldRule(rule).otherwise;
    return bound !== undefined && 'atMostSetting' in bound;
  });
}
