// The support console: sign-in, the header (with the inbox's unread count), and a hash router over its views.
// Each page is its own module, loaded when first opened (`import()`), so signing in fetches only the shell and a
// new page costs nothing to the people who never open it.
import { api, session, whenUnauthorized } from './api.js';
import { h, replace } from './dom.js';
import { inboxLink, watchInbox } from './inbox.js';
import { ADMIN_ROLES, AUDIT_ROLES, FAILURE_ROLES, FINANCE_ROLES, FRONT_ROLES, MANAGER_ROLES, RETURN_ROLES, SETTINGS_ROLES, SUPPORT_ROLES, hasRole } from './roles.js';

/**
 * The console's pages: the hash (a string, or a pattern whose groups are the view's arguments), the nav label
 * where the page has a link, the roles it serves (none: every role) and how to load its view. A view is
 * `(ctx, ...args) => leave`, `leave` stopping its polling.
 */
const ROUTES = [
  { hash: '#/queue', label: 'Queue', roles: SUPPORT_ROLES, view: () => import('./queue.js').then((m) => m.queueView) },
  { hash: '#/agent', label: 'Front line', roles: FRONT_ROLES, view: () => import('./agent.js').then((m) => m.agentView) },
  { hash: '#/dashboard', label: 'Dashboard', roles: MANAGER_ROLES, view: () => import('./dashboard.js').then((m) => m.dashboardView) },
  { hash: '#/finance', label: 'Finance', roles: FINANCE_ROLES, params: true, view: () => import('./finance.js').then((m) => m.financeView) },
  { hash: '#/customers', label: 'Customers', view: () => import('./customer.js').then((m) => m.customerSearchView) },
  { hash: '#/users', label: 'Users', roles: ADMIN_ROLES, view: () => import('./users.js').then((m) => m.usersView) },
  { hash: /^#\/users\/([^/]+)$/, roles: ADMIN_ROLES, view: () => import('./users.js').then((m) => m.userView) },
  { hash: '#/audit', label: 'Audit log', roles: AUDIT_ROLES, params: true, view: () => import('./audit.js').then((m) => m.auditView) },
  { hash: '#/settings', label: 'Settings', roles: SETTINGS_ROLES, view: () => import('./settings.js').then((m) => m.settingsView) },
  { hash: '#/webhooks', label: 'Webhooks', roles: ADMIN_ROLES, view: () => import('./webhooks.js').then((m) => m.webhooksView) },
  { hash: '#/failures', label: 'Failed deliveries', roles: FAILURE_ROLES, view: () => import('./failures.js').then((m) => m.failuresView) },
  { hash: '#/returns', label: 'Returns', roles: RETURN_ROLES, view: () => import('./returns.js').then((m) => m.returnsView) },
  // Every role has tasks (GET /tasks); for the roles without a queue or a dashboard it is the home page.
  { hash: '#/tasks', label: 'My tasks', view: () => import('./tasks.js').then((m) => m.tasksView) },
  { hash: /^#\/tickets\/([^/]+)$/, view: () => import('./ticket.js').then((m) => m.ticketView) },
  { hash: /^#\/contracts\/([^/]+)$/, view: () => import('./contract.js').then((m) => m.contractView) },
  { hash: /^#\/orders\/([^/]+)$/, view: () => import('./order.js').then((m) => m.orderView) },
  { hash: /^#\/customers\/([^/]+)$/, view: () => import('./customer.js').then((m) => m.customerView) },
  { hash: '#/inbox', view: () => import('./inbox.js').then((m) => m.inboxView) },
  { hash: '#/mail', view: () => import('./mail.js').then((m) => m.mailView) },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

let me = null;
/** The current view's clean-up (stops its polling) when the user navigates away. */
let leaveView = () => {};
/** Stops the inbox's polling (the header's unread count) when the user signs out. */
let stopInbox = () => {};

const mayOpen = (route) => !route.roles || hasRole(me, route.roles);
/** Counts navigations, so a page whose module arrives after the user has moved on is not drawn. */
let navigation = 0;

function signIn(message) {
  me = null;
  session.key = null;
  leaveView();
  leaveView = () => {};
  stopInbox();
  stopInbox = () => {};
  replace(nav);
  replace(who);
  const key = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const error = h('p', { className: 'error', role: 'alert' }, message ?? '');
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', {
    className: 'card narrow',
    onsubmit: async (event) => {
      event.preventDefault();
      submit.disabled = true;
      session.key = key.value.trim();
      try {
        me = await api('/me');
        start();
      } catch (err) {
        session.key = null;
        error.textContent = err.message;
        submit.disabled = false;
        key.focus();
      }
    },
  },
  h('h1', {}, 'Sign in'),
  h('p', {}, 'Use your personal API key. It is kept only in this browser tab.'),
  h('label', { for: 'api-key' }, 'API key'), key, submit, error);
  replace(main, form);
  key.focus();
}

function start() {
  const links = ROUTES.filter((r) => r.label && mayOpen(r)).map((r) => [r.hash, r.label]);
  const [inbox, unread] = inboxLink();
  const number = h('input', { id: 'goto-number', placeholder: 'T-2026-000123', size: 14, required: true, pattern: '\\s*[A-Za-z0-9-]+\\s*', title: 'A ticket (T-…), order (SO-…) or contract (C-…) number' });
  replace(nav,
    links.map(([href, text]) => h('a', { href }, text)),
    inbox,
    h('a', { href: '#/mail' }, 'Mail'),
    h('form', {
      className: 'goto',
      onsubmit: (event) => { event.preventDefault(); location.hash = numberHash(number.value.trim().toUpperCase()); number.value = ''; },
    }, h('label', { for: 'goto-number' }, 'Number'), number, h('button', { type: 'submit' }, 'Open')));
  replace(who,
    h('span', { className: 'user' }, h('strong', { id: 'user-name' }, me.name), ' ', h('span', { id: 'user-roles', className: 'muted' }, me.roles.join(', '))),
    h('button', { type: 'button', className: 'link', onclick: () => signIn() }, 'Sign out'));
  stopInbox();
  stopInbox = watchInbox(unread);
  route();
}

/** A business number's page: orders are SO-…, contracts C-…, everything else a ticket number. */
function numberHash(number) {
  if (number.startsWith('SO-')) return `#/orders/${number}`;
  if (number.startsWith('C-')) return `#/contracts/${number}`;
  return `#/tickets/${number}`;
}

function homeHash() {
  if (hasRole(me, SUPPORT_ROLES)) return '#/queue';
  if (hasRole(me, FRONT_ROLES)) return '#/agent';
  if (hasRole(me, MANAGER_ROLES)) return '#/dashboard';
  return '#/tasks';
}

/** The route for a hash and the view's arguments: a pattern's groups, or the query of a page that takes one. */
function match(hash, search) {
  for (const r of ROUTES) {
    if (typeof r.hash === 'string' && r.hash === hash) return [r, r.params ? [new URLSearchParams(search)] : []];
    const groups = typeof r.hash !== 'string' && r.hash.exec(hash);
    if (groups) return [r, groups.slice(1).map(decodeURIComponent)];
  }
  return [];
}

async function route() {
  if (!me) return;
  leaveView();
  leaveView = () => {};
  const current = ++navigation;
  const [hash, search = ''] = (location.hash || homeHash()).split('?');
  for (const link of nav.querySelectorAll('a')) link.toggleAttribute('aria-current', link.getAttribute('href') === hash);
  const [found, args] = match(hash, search);
  // Everyone's home is one of the pages above, so anything else (or a page of another role) goes there.
  if (!found || !mayOpen(found)) return void (location.hash = homeHash());
  const view = await found.view();
  if (current !== navigation || !me) return;
  leaveView = view({ me, main }, ...args);
  // Move focus to the new page's heading, so keyboard and screen-reader users start at the top of it.
  main.querySelector('h1')?.focus();
}

window.addEventListener('hashchange', route);
// A key revoked mid-session sends the user back to sign in; a wrong key at sign-in is handled by the form.
whenUnauthorized((detail) => { if (me) signIn(detail ?? 'Your session has ended; sign in again.'); });

if (session.key) {
  api('/me').then((user) => { me = user; start(); }, () => signIn());
} else {
  signIn();
}
