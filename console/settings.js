// Settings (#/settings): every configurable number of the spec with its value, default and meaning
// (GET /settings, GET /settings/definitions), and the business-hours calendars SLA clocks may follow.
// Admins change a setting (PUT /settings, one per form) or a calendar (PUT /calendars/:name); managers and
// supervisors read the same page without the forms. A running process keeps the values it started with.
import { api } from './api.js';
import { announce, field, h, pairs, replace, section, submitting } from './dom.js';
import { dataTable } from './table.js';

const WEEKDAYS = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];
const NUMBER_KINDS = ['ratio', 'positive', 'integer', 'rate', 'percent'];

const shown = (value) => (value === null ? 'none' : String(value));
const domId = (key) => key.replace(/\W/g, '-');

/** The typed text as the setting's JSON type; text that is no number goes as it is, so the API says what it must be. */
function parsed(kind, text) {
  const trimmed = text.trim();
  if (kind === 'boolean') return trimmed === 'true';
  if (kind === 'calendar') return trimmed || null;
  if (NUMBER_KINDS.includes(kind) && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}

function valueControl(id, def, value, calendars) {
  if (def.kind === 'boolean') return h('select', { id, name: 'value' }, ['true', 'false'].map((v) => h('option', { value: v, selected: String(value) === v }, v)));
  if (def.kind === 'calendar') {
    return h('select', { id, name: 'value' }, h('option', { value: '', selected: value === null }, 'none'),
      calendars.map((c) => h('option', { value: c.name, selected: value === c.name }, c.name)));
  }
  return h('input', { id, name: 'value', required: true, size: 10, value: shown(value), inputmode: NUMBER_KINDS.includes(def.kind) ? 'decimal' : undefined });
}

function settingForm(def, value, calendars, onSaved) {
  const id = `setting-${domId(def.key)}`;
  const error = h('p', { className: 'error', role: 'alert' });
  const send = h('button', { type: 'submit' }, 'Save');
  const form = h('form', {
    className: 'inline-edit', 'aria-label': def.key,
    onsubmit: submitting(send, error, async () => {
      const next = parsed(def.kind, new FormData(form).get('value'));
      onSaved(await api('/settings', { method: 'PUT', body: { [def.key]: next } }));
      announce(`${def.key} is now ${shown(next)}.`);
    }),
  }, h('label', { for: id, className: 'sr-only' }, `New value of ${def.key}`), valueControl(id, def, value, calendars), send, error);
  return form;
}

function settingsTable(defs, values, calendars, mayEdit) {
  const valueCells = new Map(defs.map((d) => [d.key, h('td', { className: 'value' }, shown(values[d.key]))]));
  const update = (saved) => { for (const [key, cell] of valueCells) cell.textContent = shown(saved[key]); };
  return h('div', { className: 'table-box' }, h('table', { id: 'settings' },
    h('caption', { className: 'sr-only' }, 'Settings'),
    h('thead', {}, h('tr', {}, ['Setting', 'Value', 'Default', mayEdit && 'Change'].filter(Boolean).map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, defs.map((def) => h('tr', { 'data-setting': def.key },
      h('th', { scope: 'row' }, h('code', {}, def.key), h('div', { className: 'muted' }, def.description)),
      valueCells.get(def.key), h('td', {}, shown(def.default)),
      mayEdit && h('td', {}, settingForm(def, values[def.key], calendars, update)))))));
}

/** "09:00-12:00, 13:00-17:00" → [["09:00","12:00"],["13:00","17:00"]]; empty: closed that day. */
const ranges = (text) => text.split(',').map((r) => r.trim()).filter(Boolean).map((r) => r.split('-').map((t) => t.trim()));
const rangesText = (list) => (list ?? []).map(([from, to]) => `${from}-${to}`).join(', ');

function calendarForm(calendar, onSaved) {
  const prefix = calendar ? `calendar-${domId(calendar.name)}` : 'calendar-new';
  const error = h('p', { className: 'error', role: 'alert' });
  const send = h('button', { type: 'submit', className: 'primary' }, calendar ? `Save ${calendar.name}` : 'Create calendar');
  const form = h('form', {
    id: prefix, 'aria-label': calendar ? `Calendar ${calendar.name}` : 'New calendar',
    onsubmit: submitting(send, error, async () => {
      const values = Object.fromEntries(new FormData(form));
      const name = calendar?.name ?? values.name.trim();
      const body = {
        timeZone: values.timeZone.trim(),
        weekly: Object.fromEntries(WEEKDAYS.map(([day]) => [day, ranges(values[day])]).filter(([, list]) => list.length > 0)),
        holidays: values.holidays.split(/[\s,]+/).filter(Boolean),
      };
      await api(`/calendars/${encodeURIComponent(name)}`, { method: 'PUT', body });
      announce(`Calendar ${name} saved.`);
      onSaved();
    }),
  },
  !calendar && field(`${prefix}-name`, 'Name', h('input', { id: `${prefix}-name`, name: 'name', required: true, pattern: '[A-Za-z0-9_\\-]{1,64}', placeholder: 'office-hours' })),
  field(`${prefix}-tz`, 'Time zone', h('input', { id: `${prefix}-tz`, name: 'timeZone', required: true, value: calendar?.timeZone ?? 'Europe/Berlin' })),
  h('div', { className: 'row' }, WEEKDAYS.map(([day, label]) => field(`${prefix}-${day}`, label,
    h('input', { id: `${prefix}-${day}`, name: day, size: 11, placeholder: 'closed', value: rangesText(calendar?.weekly[day]) })))),
  field(`${prefix}-holidays`, 'Holidays (dates, one per line)', h('textarea', { id: `${prefix}-holidays`, name: 'holidays', rows: 3 }, (calendar?.holidays ?? []).join('\n'))),
  h('p', { className: 'muted' }, 'Opening hours in local time as "09:00-17:00", several ranges separated by commas; an empty day is closed.'),
  h('div', { className: 'buttons' }, send), error);
  return form;
}

function calendarView(calendar) {
  return h('section', { className: 'card', 'data-calendar': calendar.name }, h('h3', {}, calendar.name), pairs([
    ['Time zone', calendar.timeZone],
    ...WEEKDAYS.map(([day, label]) => [label, rangesText(calendar.weekly[day]) || 'closed']),
    ['Holidays', calendar.holidays.join(', ') || 'none'],
  ]));
}

export function settingsView({ me, main }) {
  const mayEdit = me.roles.includes('admin');
  const body = h('div');
  const error = h('p', { className: 'error', role: 'alert' });
  let left = false;

  async function load() {
    try {
      const [defs, values, calendars] = await Promise.all([api('/settings/definitions'), api('/settings'), api('/calendars')]);
      if (left) return;
      replace(body,
        section('Settings', h('p', { className: 'muted' }, 'A running ticket, order or contract keeps the values it started with.'), settingsTable(defs.items, values, calendars, mayEdit)),
        section('Business-hours calendars',
          h('p', { className: 'muted' }, 'SLA clocks run only in a calendar\'s opening hours; sla.calendar and the per-policy settings choose one.'),
          dataTable({ id: 'calendars', caption: 'Calendars', items: calendars, rowKey: (c) => c.name, empty: 'No calendars yet: SLA clocks run 24×7.',
            columns: [['Name', (c) => c.name], ['Time zone', (c) => c.timeZone], ['Holidays', (c) => String(c.holidays.length)]] }),
          calendars.map((c) => (mayEdit ? h('details', { 'data-calendar': c.name }, h('summary', {}, `Change ${c.name}`), calendarForm(c, load)) : calendarView(c))),
          mayEdit && h('details', {}, h('summary', {}, 'New calendar'), calendarForm(null, load))));
      error.textContent = '';
    } catch (err) {
      if (!left) error.textContent = err.message;
    }
  }

  replace(main, h('h1', { tabindex: -1 }, 'Settings'), error, body);
  load();
  return () => { left = true; };
}
