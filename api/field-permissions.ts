import type { Settings, SettingKey } from '../domain/settings';
import { fieldAccess } from '../domain/field-access';
import type { Role } from '../domain/roles';
import type { RouteAccess } from './plugins/auth';

// What a caller may put in a route's body, read off the route table (app.routeAccess), so a form shows the
// fields its user may set without a second copy of the policy; the route still judges every request.

/** One field for one caller: freely, not at all, only one value, or a money value up to a setting's. */
export type FieldPermission =
  | { may: 'any' }
  | { may: 'none' }
  | { may: 'equals'; value: string }
  | { may: 'at-most'; value: string; setting: SettingKey };

/** Each body field of the route for these roles; null when the route does not admit them at all. */
export function fieldPermissions(route: RouteAccess | undefined, roles: readonly Role[], settings: Pick<Settings, SettingKey>): Record<string, FieldPermission> | null {
  if (!route?.fields || !Array.isArray(route.roles) || !roles.some((role) => (route.roles as readonly Role[]).includes(role))) return null;
  return Object.fromEntries(Object.entries(route.fields).map(([field, rule]): [string, FieldPermission] => {
    const access = fieldAccess(rule, roles);
    if (access === 'any' || access === 'none') return [field, { may: access }];
    if ('equals' in access.bound) return [field, { may: 'equals', value: access.bound.equals }];
    return [field, { may: 'at-most', value: String(settings[access.bound.atMostSetting]), setting: access.bound.atMostSetting }];
  }));
}
