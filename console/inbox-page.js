// The inbox page: the newest notifications first, unread marked, mark read, open the record, and the user's
// notification preferences; it draws from the header's feed (inbox.js), so it polls nothing of its own.
import { api } from './api.js';
import { announce, formatTime, h, replace, words } from './dom.js';
import { feed, LIMIT } from './inbox.js';

/** The console's page for a notification's record, where it has one. */
const pageOf = (resource) => (resource.type === 'ticket' ? `#/tickets/${encodeURIComponent(resource.id)}` : null);

const refreshNow = () => feed.load?.();

function markRead(item) {
  return api(`/notifications/${encodeURIComponent(item.id)}/read`, { method: 'POST', body: {} }).then(refreshNow);
}

function entry(item, opened, onError) {
  const unread = !item.readAt;
  const href = pageOf(item.resource);
  const bodyId = `notification-body-${item.id}`;
  const body = h('p', { id: bodyId, className: 'prose muted', hidden: !href && !opened.has(item.id) }, item.body);
  const fail = (err) => onError(`Could not mark it read: ${err.message}`);
  const subject = href
    ? h('a', { href, 'data-focus': 'open', onclick: () => { if (!item.readAt) markRead(item).catch(fail); } }, item.subject)
    : h('button', {
      type: 'button', className: 'link', 'data-focus': 'open', 'aria-expanded': String(opened.has(item.id)), 'aria-controls': bodyId,
      onclick: (e) => {
        const open = !opened.has(item.id);
        if (open) opened.add(item.id); else opened.delete(item.id);
        e.currentTarget.setAttribute('aria-expanded', String(open));
        body.hidden = !open;
        if (open && !item.readAt) markRead(item).catch(fail);
      },
    }, item.subject);
  return h('li', { className: unread ? 'entry unread' : 'entry', 'data-notification': item.id },
    h('div', { className: 'entry-head' },
      unread && h('span', { className: 'badge unread' }, 'unread'),
      h('strong', { className: 'entry-subject' }, subject),
      h('span', { className: 'muted' }, `${words(item.kind.replace('.', ' · '))} · `, h('time', { datetime: item.createdAt }, formatTime(item.createdAt))),
      unread && h('button', {
        type: 'button', 'data-focus': 'read', 'aria-label': `Mark read: ${item.subject}`,
        // Not disabled while it runs: a disabled button drops keyboard focus; a second press is ignored instead.
        onclick: (e) => {
          const button = e.currentTarget;
          if (button.getAttribute('aria-busy')) return;
          button.setAttribute('aria-busy', 'true');
          markRead(item).catch((err) => { button.removeAttribute('aria-busy'); fail(err); });
        },
      }, 'Mark read')),
    body);
}

function preferencesPanel() {
  const error = h('p', { className: 'error', role: 'alert' });
  const rows = h('tbody', {}, h('tr', {}, h('td', { colspan: 3, className: 'muted' }, 'Loading…')));
  const save = h('button', { type: 'submit' }, 'Save preferences');
  let current = [];
  const box = (p, channel) => {
    const id = `pref-${p.kind}-${channel}`.replace(/\W+/g, '-');
    return h('td', {},
      h('input', { type: 'checkbox', id, name: channel, 'data-kind': p.kind, checked: p[channel], disabled: p.mandatory }),
      h('label', { for: id, className: 'sr-only' }, `${channel === 'inbox' ? 'Inbox' : 'E-mail'}: ${p.description}`));
  };
  function draw(preferences) {
    current = preferences;
    replace(rows, preferences.map((p) => h('tr', { 'data-kind': p.kind },
      h('th', { scope: 'row' }, p.description, p.mandatory && h('span', { className: 'muted' }, ' (required for your role)')),
      box(p, 'inbox'), box(p, 'email'))));
  }
  const form = h('form', {
    className: 'card', 'aria-labelledby': 'preferences-title',
    onsubmit: async (e) => {
      e.preventDefault();
      const changes = current.filter((p) => !p.mandatory).map((p) => ({
        kind: p.kind,
        inbox: form.querySelector(`input[name=inbox][data-kind="${CSS.escape(p.kind)}"]`).checked,
        email: form.querySelector(`input[name=email][data-kind="${CSS.escape(p.kind)}"]`).checked,
      }));
      if (changes.length === 0) return;
      save.disabled = true;
      error.textContent = '';
      try {
        draw((await api('/me/notification-preferences', { method: 'PUT', body: { preferences: changes } })).preferences);
        announce('Notification preferences saved.');
      } catch (err) {
        error.textContent = err.message;
      } finally {
        save.disabled = false;
      }
    },
  },
  h('h2', { id: 'preferences-title' }, 'What reaches you'),
  h('div', { className: 'table-box' }, h('table', { className: 'preferences' },
    h('caption', { className: 'sr-only' }, 'Notification preferences: one row per kind'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Notification'), h('th', { scope: 'col' }, 'Inbox'), h('th', { scope: 'col' }, 'E-mail'))),
    rows)),
  h('div', { className: 'buttons wide' }, save), error);
  api('/me/notification-preferences').then((r) => draw(r.preferences), (err) => {
    replace(rows);
    error.textContent = `Could not load your preferences: ${err.message}`;
  });
  return form;
}

export function inboxView({ main }) {
  const list = h('div', {});
  const updated = h('span', { className: 'muted' });
  const error = h('p', { className: 'error', role: 'alert' });
  const opened = new Set();
  let drawn = null;
  function draw() {
    if (feed.error) error.textContent = `Could not load the inbox: ${feed.error.message}`;
    const page = feed.page;
    if (!page) return;
    if (!feed.error) error.textContent = '';
    updated.textContent = `${page.unread} unread · updated ${new Date().toLocaleTimeString()}`;
    const key = JSON.stringify(page.items);
    if (key === drawn) return;
    drawn = key;
    // Keep keyboard focus on the same entry's control across the redraw (on its title once "Mark read" is gone).
    const focused = list.contains(document.activeElement) ? document.activeElement : null;
    const focusId = focused?.closest('li')?.dataset.notification;
    replace(list, page.items.length === 0
      ? h('p', { className: 'muted empty' }, 'Nothing here yet: notifications for you will show up here.')
      : h('ol', { className: 'inbox', 'aria-label': `The ${LIMIT} newest notifications, newest first` }, page.items.map((item) => entry(item, opened, (text) => { error.textContent = text; }))));
    if (focusId) {
      const li = list.querySelector(`li[data-notification="${CSS.escape(focusId)}"]`);
      (li?.querySelector(`[data-focus="${focused.dataset.focus}"]`) ?? li?.querySelector('[data-focus=open]'))?.focus();
    }
  }
  feed.listeners.add(draw);
  replace(main,
    h('div', { className: 'title-row' }, h('h1', { tabindex: -1 }, 'Inbox'), updated),
    h('div', { className: 'columns' },
      h('section', { className: 'card', 'aria-label': 'Notifications' }, error, list),
      preferencesPanel()));
  draw();
  refreshNow();
  return () => feed.listeners.delete(draw);
}
