import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { calendarExists, loadSettings, saveSettings } from '../../db/settings';
import { isSettingKey, SETTING_KEYS, SETTINGS, validateSetting, type Settings } from '../../domain/settings';
import { audit } from '../audit';
import { HttpProblem, unprocessable } from '../problem';

const SettingsBody = Type.Record(Type.String({ maxLength: 100 }), Type.Union([Type.String({ maxLength: 64 }), Type.Number(), Type.Boolean(), Type.Null()]), {
  description: `partial update; keys: ${Object.keys(SETTINGS).join(', ')}`,
});

const Definition = Type.Object({
  key: Type.String(), kind: Type.String({ description: 'what a value must be: duration, ratio, positive, integer, money, rate, percent, calendar, boolean' }),
  default: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), description: Type.String(),
});

export const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/settings/definitions', {
    config: { roles: ['admin', 'manager', 'supervisor'] },
    schema: { tags: ['settings'], summary: 'Every setting: its kind, default and what it does, for forms that edit them', response: { 200: Type.Object({ items: Type.Array(Definition) }) } },
  }, async () => ({ items: SETTING_KEYS.map((key) => ({ key, kind: SETTINGS[key].kind, default: SETTINGS[key].default, description: SETTINGS[key].description })) }));

  app.get('/settings', {
    config: { roles: ['admin', 'manager', 'supervisor'] },
    schema: { tags: ['settings'], response: { 200: SettingsBody } },
  }, async () => loadSettings(app.db));

  app.put('/settings', {
    // Every key is declared, so the field matrix enumerates the settings one by one.
    config: { roles: ['admin'], fields: Object.fromEntries(SETTING_KEYS.map((key) => [key, ['admin']])) },
    schema: { tags: ['settings'], body: SettingsBody, response: { 200: SettingsBody } },
  }, async (request) => {
    const errors: Array<{ path: string; message: string }> = [];
    for (const [key, value] of Object.entries(request.body)) {
      if (!isSettingKey(key)) errors.push({ path: `/${key}`, message: 'is not a known setting' });
      else {
        const problem = validateSetting(key, value);
        if (problem) errors.push({ path: `/${key}`, message: problem });
      }
    }
    if (errors.length > 0) throw new HttpProblem(400, 'some settings are invalid; nothing was changed', { errors }, 'validation');
    const changes = request.body as Partial<Settings>;
    for (const key of SETTING_KEYS.filter((k) => SETTINGS[k].kind === 'calendar')) {
      const calendar = changes[key];
      if (typeof calendar === 'string' && !(await calendarExists(app.db, calendar))) {
        throw unprocessable(`calendar "${calendar}" does not exist; create it with PUT /calendars/${calendar} first`, { errors: [{ path: `/${key}`, message: 'names no calendar' }] });
      }
    }
    await app.db.transaction(async (tx) => {
      await saveSettings(tx, changes, request.actor.id);
      await audit(tx, request.actor, 'settings.update', 'settings', null, changes);
    });
    return loadSettings(app.db);
  });
};
