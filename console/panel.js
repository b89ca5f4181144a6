// The actions of a process page (ticket, contract, order): one button per entry whose action the workflow
// allows the signed-in user now, the entry's form, and the API's refusal in its own words.
import { actionForm, actionOf } from './actions.js';
import { announce, formatTime, h, poll, replace, section, words } from './dom.js';

const REFRESH_MS = 10_000;

/**
 * `specs`: the entries (actions.js); `send(action, body)` runs an action and answers the process's new
 * view; `done(view, label)` says what happened; `reload()` redraws the page; `intro(key)` adds to a form;
 * `noun` names the process in the messages; `home` takes focus when no button is left.
 */
export function actionPanel({ specs, send, done, reload, intro = () => null, noun, home }) {
  const buttons = h('div', { className: 'buttons', role: 'group', 'aria-label': 'Actions' });
  const formSlot = h('div');
  const error = h('p', { className: 'error', role: 'alert', id: 'action-error' });
  let openKey = null;
  let offered = null;

  /** Redrawn only when the offer changes, so a poll never pulls focus from the button the user is on. */
  function update(live) {
    if (openKey) return;
    const allowed = live?.allowedActions ?? [];
    const offer = `${Boolean(live)}:${allowed.join()}`;
    if (offer === offered) return;
    offered = offer;
    // In the workflow's order; an action with two entries (release or reject a credit hold) gets both buttons.
    const keys = allowed.flatMap((action) => Object.keys(specs).filter((key) => actionOf(specs, key) === action));
    replace(buttons, keys.length === 0
      ? h('p', { className: 'muted' }, live ? `Nothing you can do on this ${noun} now.` : 'The process is not answering right now; actions are unavailable.')
      : keys.map((key) => h('button', { type: 'button', 'data-action': key, onclick: () => choose(key) }, specs[key].label)));
  }

  function choose(key) {
    if (!specs[key].fields) return run(key, structuredClone(specs[key].fixed ?? {}));
    openKey = key;
    buttons.hidden = true;
    const form = actionForm(specs, key, { submit: (body) => run(key, body), close, intro: intro(key) });
    replace(formSlot, form);
    form.querySelector('input, textarea, select')?.focus();
  }

  async function close() {
    openKey = null;
    replace(formSlot);
    buttons.hidden = false;
    await reload();
    buttons.querySelector('button')?.focus();
  }

  async function run(key, body) {
    error.textContent = '';
    try {
      const view = await send(actionOf(specs, key), body);
      announce(done(view, specs[key].label));
      openKey = null;
      replace(formSlot);
      buttons.hidden = false;
      await reload();
      (buttons.querySelector('button') ?? home).focus();
    } catch (err) {
      // The API says why in words meant for people (problem+json detail); the state may have moved on.
      error.textContent = err.message;
      await reload();
    }
  }

  /** Shows a failure of the page itself (loading it) where refusals go. */
  const fail = (text) => { error.textContent = text; };

  return { element: [buttons, formSlot, error], update, fail };
}

/**
 * Keeps a process page current: `fetch()` now and every few seconds; the panel offers what the answer's
 * `live` view allows; `draw(data)` only when the data changed (so polling never disturbs a text selection);
 * a process that does not exist replaces the page with the API's words. Returns [load, stop].
 */
export function keepCurrent({ main, noun, title, fetch, draw, panel, updated }) {
  let latest = 0;
  let shown = null;
  let missing = false;
  async function load() {
    if (missing) return;
    const mine = ++latest;
    try {
      const data = await fetch();
      if (mine !== latest) return;
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
      panel.update(data.live);
      const key = JSON.stringify(data);
      if (key === shown) return;
      shown = key;
      draw(data);
    } catch (err) {
      if (mine !== latest) return;
      if (err.status === 404) {
        missing = true;
        replace(main, h('h1', { tabindex: -1 }, title), h('p', { className: 'error', role: 'alert' }, err.message));
      }
      else panel.fail(`Could not load the ${noun}: ${err.message}`);
    }
  }
  return [load, () => poll(load, REFRESH_MS)];
}

/** People by name (the API sends it next to each id); the signed-in user as "you". */
export const namer = (me) => (userId, name) => (userId === me.id ? `you (${me.name})` : (name ?? userId));

/** An order's or contract's timeline: when, what, by whom, the state it moved to, and its note. */
export function timelineSection(events, who, extra = () => null) {
  return section('Timeline', h('ol', { className: 'timeline' }, events.map((e) => h('li', { 'data-action': e.action },
    h('time', { datetime: e.at }, formatTime(e.at)), ' ', h('strong', {}, words(e.action)), ' by ', who(e.actorId, e.actorName),
    ' · ', e.fromStatus && e.fromStatus !== e.toStatus ? `${words(e.fromStatus)} → ${words(e.toStatus)}` : words(e.toStatus), extra(e),
    e.note ? h('p', { className: 'prose' }, e.note) : null))));
}

/** A process page's frame: title row with refresh, status line, the actions and `left` beside `side`, then `wide`. */
export function processLayout({ main, heading, updated, status, load, panel, left, side, wide }) {
  replace(main,
    h('div', { className: 'title-row' }, heading, updated, h('button', { type: 'button', onclick: () => load() }, 'Refresh')),
    status,
    h('div', { className: 'columns' },
      h('div', { className: 'stack' }, section('Actions', panel.element), left),
      side),
    wide);
}
