// The admin's user list: who has which roles and tiers, and the one action an admin needs in a hurry,
// deactivating someone who left (every key revoked, their tickets back to the queues).
import { api } from './api.js';
import { announce, badge, h, replace } from './dom.js';

const COLUMNS = ['User', 'Name', 'E-mail', 'Roles', 'Tiers', 'Status', ''];

function outcome(user) {
  const { returned, refused } = user.claims;
  const tickets = returned.length ? `${returned.join(', ')} back in the queue` : 'no tickets held';
  const moved = refused.length ? `; ${refused.map((r) => r.ticketId).join(', ')} had moved on` : '';
  return `${user.name} deactivated: ${user.keysRevoked} key(s) revoked, ${tickets}${moved}.`;
}

export function usersView({ me, main }) {
  const results = h('div');
  const error = h('p', { className: 'error', role: 'alert' });

  async function deactivate(user) {
    if (!confirm(`Deactivate ${user.name}? Their keys stop working and the tickets they hold go back to the queue.`)) return;
    try {
      announce(outcome(await api(`/users/${encodeURIComponent(user.id)}/deactivate`, { method: 'POST', body: {} })));
      await load();
    } catch (err) {
      error.textContent = `Could not deactivate ${user.name}: ${err.message}`;
    }
  }

  const row = (user) => h('tr', { 'data-user': user.id },
    h('td', {}, user.id), h('td', {}, user.name), h('td', {}, user.email), h('td', {}, user.roles.join(', ')), h('td', {}, user.tiers.join(', ') || '—'),
    h('td', {}, user.active ? 'active' : badge('inactive', 'warn')),
    h('td', {}, user.active && user.id !== me.id && h('button', { type: 'button', onclick: () => deactivate(user) }, 'Deactivate')));

  async function load() {
    try {
      const page = await api('/users', { query: { limit: 200 } });
      replace(results, h('div', { className: 'table-box' }, h('table', {},
        h('caption', { className: 'sr-only' }, 'Users'),
        h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, page.items.map(row)))),
      page.nextCursor && h('p', { className: 'muted' }, 'Showing the first 200 users.'));
      error.textContent = '';
    } catch (err) {
      error.textContent = `Could not load the users: ${err.message}`;
    }
  }

  replace(main, h('div', { className: 'title-row' }, h('h1', { tabindex: -1 }, 'Users')), error, results);
  load();
  return () => {};
}
