// User administration (admin): the list with a form for a new user, and each user's page to change their
// particulars and roles and to issue and revoke their API keys. A new key is shown once (console/secret.js).
import { api } from './api.js';
import { checkedValues, checks } from './forms.js';
import { announce, badge, field, formatTime, h, pairs, replace, section, submitting } from './dom.js';
import { secretBox } from './secret.js';
import { recordLink } from './table.js';
import { LANGUAGES, ROLES } from './vocab.js';

const COLUMNS = ['User', 'Name', 'E-mail', 'Roles', 'Tiers', 'Status', ''];
const userPath = (id) => `/users/${encodeURIComponent(id)}`;

function outcome(user) {
  const { returned, refused } = user.claims;
  const tickets = returned.length ? `${returned.join(', ')} back in the queue` : 'no tickets held';
  const moved = refused.length ? `; ${refused.map((r) => r.ticketId).join(', ')} had moved on` : '';
  return `${user.name} deactivated: ${user.keysRevoked} key(s) revoked, ${tickets}${moved}.`;
}

function languageSelect(id, value) {
  return h('select', { id, name: 'language' },
    h('option', { value: '', selected: !value }, 'English (default)'),
    LANGUAGES.filter((l) => l !== 'en').map((l) => h('option', { value: l, selected: value === l }, l)));
}

/** The particulars both forms ask for; `user` fills them in for an edit. */
function particulars(prefix, user) {
  return [
    h('div', { className: 'row' },
      field(`${prefix}-name`, 'Name', h('input', { id: `${prefix}-name`, name: 'name', required: true, maxlength: 200, value: user?.name ?? '' })),
      field(`${prefix}-email`, 'E-mail', h('input', { id: `${prefix}-email`, name: 'email', type: 'email', required: true, maxlength: 320, value: user?.email ?? '' })),
      field(`${prefix}-language`, 'Notification language', languageSelect(`${prefix}-language`, user?.language))),
    checks({ id: `${prefix}-roles`, name: 'roles', legend: 'Roles (agent works L1, support_l2 L2, support_l3 L3)', options: ROLES, checked: user?.roles }),
  ];
}

/** The form of a new user (`user` absent) or of a change to one; `save(form)` sends it. */
function userForm({ id, title, user, submit, save }) {
  const error = h('p', { className: 'error', role: 'alert' });
  const send = h('button', { type: 'submit', className: 'primary' }, submit);
  return h('form', { className: 'card', id, 'aria-labelledby': `${id}-title`, onsubmit: submitting(send, error, save) },
    h('h2', { id: `${id}-title` }, title), particulars(id, user), h('div', { className: 'buttons' }, send), error);
}

function newUserForm(onCreated) {
  return userForm({
    id: 'new-user', title: 'New user', submit: 'Create user',
    save: async (form) => {
      const values = Object.fromEntries(new FormData(form));
      const body = { name: values.name.trim(), email: values.email.trim(), roles: checkedValues(form, 'roles'), ...(values.language ? { language: values.language } : {}) };
      const user = await api('/users', { method: 'POST', body });
      form.reset();
      announce(`${user.name} created as ${user.id}.`);
      onCreated(user);
    },
  });
}

export function usersView({ me, main }) {
  const results = h('div');
  const shown = h('div');
  const error = h('p', { className: 'error', role: 'alert' });

  async function deactivate(user) {
    if (!confirm(`Deactivate ${user.name}? Their keys stop working and the tickets they hold go back to the queue.`)) return;
    try {
      announce(outcome(await api(`${userPath(user.id)}/deactivate`, { method: 'POST', body: {} })));
      await load();
    } catch (err) {
      error.textContent = `Could not deactivate ${user.name}: ${err.message}`;
    }
  }

  const row = (user) => h('tr', { 'data-user': user.id },
    h('td', {}, recordLink('users', user.id)), h('td', {}, user.name), h('td', {}, user.email), h('td', {}, user.roles.join(', ')), h('td', {}, user.tiers.join(', ') || '—'),
    h('td', {}, user.active ? 'active' : badge('inactive', 'warn')),
    h('td', {}, user.active && user.id !== me.id && h('button', { type: 'button', onclick: () => deactivate(user) }, 'Deactivate')));

  async function load() {
    try {
      const page = await api('/users', { query: { limit: 200 } });
      replace(results, h('div', { className: 'table-box' }, h('table', { id: 'users' },
        h('caption', { className: 'sr-only' }, 'Users'),
        h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, page.items.map(row)))),
      page.nextCursor && h('p', { className: 'muted' }, 'Showing the first 200 users.'));
      error.textContent = '';
    } catch (err) {
      error.textContent = `Could not load the users: ${err.message}`;
    }
  }

  const created = (user) => {
    replace(shown, secretBox({
      id: 'new-key', title: `API key of ${user.name} (${user.id})`, secret: user.apiKey,
      note: 'Hand it to them over a safe channel. It is shown only this once; a lost key is revoked and a new one issued on their page.',
    }), h('p', {}, 'Their page: ', recordLink('users', user.id)));
    load();
  };

  replace(main, h('div', { className: 'title-row' }, h('h1', { tabindex: -1 }, 'Users')), error, shown, newUserForm(created), results);
  load();
  return () => {};
}

function keysTable(keys, revoke) {
  if (keys.length === 0) return h('p', { className: 'muted empty', id: 'user-keys' }, 'No keys issued.');
  return h('div', { className: 'table-box' }, h('table', { id: 'user-keys' },
    h('caption', { className: 'sr-only' }, 'API keys'),
    h('thead', {}, h('tr', {}, ['Key', 'Issued', 'Status', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, keys.map((key) => h('tr', { 'data-key': key.keyId },
      h('td', {}, h('code', {}, key.keyId)), h('td', {}, formatTime(key.createdAt)),
      h('td', {}, key.revokedAt ? `revoked ${formatTime(key.revokedAt)}` : 'active'),
      h('td', {}, !key.revokedAt && h('button', { type: 'button', onclick: () => revoke(key) }, `Revoke ${key.keyId}`)))))));
}

/** Only what the admin changed goes to PATCH, so the audit log records just that. */
function changes(user, form) {
  const values = Object.fromEntries(new FormData(form));
  const next = { name: values.name.trim(), email: values.email.trim(), language: values.language || null, roles: checkedValues(form, 'roles') };
  const same = (key) => (key === 'roles' ? next.roles.length === user.roles.length && next.roles.every((r) => user.roles.includes(r)) : next[key] === user[key]);
  return Object.fromEntries(Object.entries(next).filter(([key]) => !same(key)));
}

export function userView({ main }, id) {
  const heading = h('h1', { tabindex: -1 }, `User ${id}`);
  const body = h('div');
  const error = h('p', { className: 'error', role: 'alert' });
  // The new key's box lives outside what load() redraws, so the list of keys can refresh under it.
  const shown = h('div');
  let left = false;

  async function revoke(user, key) {
    if (!confirm(`Revoke key ${key.keyId} of ${user.name}? Whoever signs in with it is refused from their next request on.`)) return;
    try {
      await api(`${userPath(user.id)}/keys/${encodeURIComponent(key.keyId)}`, { method: 'DELETE' });
      announce(`Key ${key.keyId} of ${user.name} revoked.`);
      await load();
    } catch (err) {
      error.textContent = err.message;
    }
  }

  async function issue(user) {
    try {
      const key = await api(`${userPath(user.id)}/keys`, { method: 'POST', body: {} });
      announce(`Key ${key.keyId} issued to ${user.name}.`);
      await load();
      replace(shown, secretBox({ id: 'issued-key', title: `New API key ${key.keyId} of ${user.name}`, secret: key.apiKey }));
    } catch (err) {
      error.textContent = err.message;
    }
  }

  const editForm = (user) => userForm({
    id: 'edit-user', title: 'Change', user, submit: 'Save changes',
    save: async (form) => {
      const body = changes(user, form);
      if (Object.keys(body).length === 0) return void announce('Nothing changed.');
      const saved = await api(userPath(user.id), { method: 'PATCH', body });
      announce(`${saved.name} saved: ${Object.keys(body).join(', ')} changed.`);
      await load();
    },
  });

  async function load() {
    try {
      const user = await api(userPath(id));
      if (left) return;
      heading.textContent = `${user.name} (${user.id})`;
      replace(body,
        section('Particulars', pairs([
          ['E-mail', user.email], ['Roles', user.roles.join(', ')], ['Tiers', user.tiers.join(', ') || '—'],
          ['Status', user.active ? 'active' : badge('inactive', 'warn')], ['Language', user.language ?? 'English (default)'], ['Created', formatTime(user.createdAt)],
        ]), h('p', {}, h('a', { href: `#/audit?resource=user:${encodeURIComponent(user.id)}` }, 'Changes to this user in the audit log'))),
        editForm(user),
        section('API keys', keysTable(user.keys, (key) => revoke(user, key)),
          user.active && h('div', { className: 'buttons' }, h('button', { type: 'button', onclick: () => issue(user) }, 'Issue a new key'))));
      error.textContent = '';
    } catch (err) {
      error.textContent = `Could not load user ${id}: ${err.message}`;
    }
  }

  replace(main, h('p', {}, h('a', { href: '#/users' }, '← Users')), heading, error, shown, body);
  load();
  return () => { left = true; };
}
