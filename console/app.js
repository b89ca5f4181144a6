// The support console: sign-in, the header (with the inbox's unread count), and a hash router over its views.
// Each page is its own module, loaded when first opened (`import()`), so signing in fetches only the shell and a
// new page costs nothing to the people who never open it.
import { api, consoleSettings, session, whenUnauthorized } from './api.js';
import { h, replace } from './dom.js';
import { inboxLink, watchInbox } from './inbox.js';
import {
  ADMIN_ROLES, ARTICLE_READERS, ARTICLE_WRITERS, AUDIT_ROLES, CONTRACT_DRAFT_ROLES, FAILURE_ROLES, FINANCE_ROLES, FRONT_ROLES, INCIDENT_ROLES, MANAGER_ROLES,
  ORDER_ROLES, RETURN_ROLES, SETTINGS_ROLES, SUPPORT_ROLES, hasRole,
} from './roles.js';

/**
 * The console's pages: the hash (a string, or a pattern whose groups are the view's arguments), the nav label
 * where the page has a link (`nav` its href for a pattern; `more` puts it under the header's "More" menu, for
 * pages one opens now and then, except for the roles in `barFor`, whose daily work it is), the roles it serves (none: every role) and how to load its view. A view is
 * `(ctx, ...args) => leave`, `leave` stopping its polling; `params: true` passes the hash's query
 * (`#/finance?customer=…`) as its last argument.
 */
const ROUTES = [
  { hash: '#/queue', label: 'Queue', roles: SUPPORT_ROLES, view: () => import('./queue.js').then((m) => m.queueView) },
  { hash: '#/agent', label: 'Front line', roles: FRONT_ROLES, view: () => import('./agent.js').then((m) => m.agentView) },
  { hash: '#/dashboard', label: 'Dashboard', roles: MANAGER_ROLES, view: () => import('./dashboard.js').then((m) => m.dashboardView) },
  { hash: '#/finance', label: 'Finance', roles: FINANCE_ROLES, params: true, view: () => import('./finance.js').then((m) => m.financeView) },
  { hash: '#/customers', label: 'Customers', view: () => import('./customer.js').then((m) => m.customerSearchView) },
  { hash: '#/users', label: 'Users', more: true, roles: ADMIN_ROLES, view: () => import('./users.js').then((m) => m.usersView) },
  { hash: /^#\/users\/([^/]+)$/, roles: ADMIN_ROLES, view: () => import('./users.js').then((m) => m.userView) },
  { hash: '#/audit', label: 'Audit log', more: true, roles: AUDIT_ROLES, params: true, view: () => import('./audit.js').then((m) => m.auditView) },
  { hash: '#/settings', label: 'Settings', more: true, roles: SETTINGS_ROLES, view: () => import('./settings.js').then((m) => m.settingsView) },
  { hash: '#/webhooks', label: 'Webhooks', more: true, roles: ADMIN_ROLES, view: () => import('./webhooks.js').then((m) => m.webhooksView) },
  { hash: '#/failures', label: 'Failed deliveries', more: true, roles: FAILURE_ROLES, view: () => import('./failures.js').then((m) => m.failuresView) },
  { hash: '#/returns', label: 'Returns', more: true, roles: RETURN_ROLES, view: () => import('./returns.js').then((m) => m.returnsView) },
  { hash: /^#\/search\/(tickets|orders|contracts)$/, nav: '#/search/tickets', label: 'Search', params: true, view: () => import('./records.js').then((m) => m.searchView) },
  { hash: '#/products', label: 'Products', more: true, view: () => import('./products.js').then((m) => m.productsView) },
  { hash: '#/articles', label: 'Articles', more: true, barFor: ['knowledge_engineer'], roles: ARTICLE_READERS, view: () => import('./articles.js').then((m) => m.articlesView) },
  { hash: '#/incidents', label: 'Incidents', more: true, barFor: ['supervisor'], roles: INCIDENT_ROLES, view: () => import('./incidents.js').then((m) => m.incidentsView) },
  // Every role has tasks (GET /tasks); for the roles without a queue or a dashboard it is the home page.
  { hash: '#/tasks', label: 'My tasks', view: () => import('./tasks.js').then((m) => m.tasksView) },
  // Before the record pages' patterns, which would take "new" for a number.
  { hash: '#/orders/new', roles: ORDER_ROLES, params: true, view: () => import('./order-new.js').then((m) => m.newOrderView) },
  { hash: '#/contracts/new', roles: CONTRACT_DRAFT_ROLES, params: true, view: () => import('./contract-new.js').then((m) => m.newContractView) },
  { hash: /^#\/tickets\/([^/]+)$/, view: () => import('./ticket.js').then((m) => m.ticketView) },
  { hash: /^#\/contracts\/([^/]+)$/, view: () => import('./contract.js').then((m) => m.contractView) },
  { hash: /^#\/orders\/([^/]+)$/, view: () => import('./order.js').then((m) => m.orderView) },
  { hash: /^#\/customers\/([^/]+)$/, view: () => import('./customer.js').then((m) => m.customerView) },
  { hash: /^#\/products\/([^/]+)$/, view: () => import('./products.js').then((m) => m.productView) },
  { hash: /^#\/articles\/([^/]+)$/, roles: ARTICLE_READERS, view: () => import('./articles.js').then((m) => m.articleView) },
  { hash: /^#\/incidents\/([^/]+)$/, roles: INCIDENT_ROLES, view: () => import('./incidents.js').then((m) => m.incidentView) },
  { hash: '#/inbox', view: () => import('./inbox-page.js').then((m) => m.inboxView) },
  { hash: '#/mail-in', label: 'Mail in', more: true, roles: FRONT_ROLES, params: true, view: () => import('./mail-in.js').then((m) => m.mailInView) },
  { hash: '#/mail', label: 'Mail', more: true, view: () => import('./mail.js').then((m) => m.mailView) },
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
  const link = (r) => h('a', { href: r.nav ?? r.hash }, r.label);
  const pages = ROUTES.filter((r) => r.label && mayOpen(r))
    .map((r) => ({ ...r, more: r.more && !(r.barFor && hasRole(me, r.barFor)) }));
  // A disclosure, not a script menu: keyboard and screen readers know it; it closes once a page is chosen.
  const more = h('details', { className: 'more', id: 'nav-more' }, h('summary', {}, 'More'), h('div', { className: 'more-links' }, pages.filter((r) => r.more).map(link)));
  more.addEventListener('click', (event) => { if (event.target.closest('a')) more.open = false; });
  const [inbox, unread] = inboxLink();
  const number = h('input', { id: 'goto-number', placeholder: 'T-2026-000123', size: 14, required: true, pattern: '\\s*[A-Za-z0-9-]+\\s*', title: 'A ticket, order, contract or customer number' });
  replace(nav,
    pages.filter((r) => !r.more).map(link),
    inbox,
    more,
    h('form', {
      className: 'goto',
      onsubmit: async (event) => {
        event.preventDefault();
        const hash = await numberHash(number.value.trim().toUpperCase());
        number.value = '';
        location.hash = hash;
      },
    }, h('label', { for: 'goto-number' }, 'Number'), number, h('button', { type: 'submit' }, 'Open')));
  replace(who,
    h('span', { className: 'user' }, h('strong', { id: 'user-name' }, me.name), ' ', h('span', { id: 'user-roles', className: 'muted' }, me.roles.join(', '))),
    h('button', { type: 'button', className: 'link', onclick: () => signIn() }, 'Sign out'));
  stopInbox();
  stopInbox = watchInbox(unread);
  route();
}

/**
 * A business number's page, by its prefix (configurable per deployment, so read from the console's settings):
 * `SO-2026-000045` an order, `C-…` (or a contract type's own prefix) a contract, `CUS-000001` a customer;
 * anything else is taken for a ticket number, whose page says so if there is none.
 */
async function numberHash(number) {
  const { numberPrefixes } = await consoleSettings();
  const matches = Object.entries(numberPrefixes).flatMap(([page, prefixes]) => prefixes.map((prefix) => [page, prefix]))
    .filter(([, prefix]) => number.startsWith(`${prefix}-`))
    .sort(([, a], [, b]) => b.length - a.length);
  return `#/${matches[0]?.[0] ?? 'tickets'}/${encodeURIComponent(number)}`;
}

function homeHash() {
  if (hasRole(me, SUPPORT_ROLES)) return '#/queue';
  if (hasRole(me, FRONT_ROLES)) return '#/agent';
  if (hasRole(me, MANAGER_ROLES)) return '#/dashboard';
  if (hasRole(me, ARTICLE_WRITERS)) return '#/articles';
  return '#/tasks';
}

/** The route for a hash and the view's arguments: a pattern's groups, or the query of a page that takes one. */
function match(hash, search = '') {
  const query = (r) => (r.params ? [new URLSearchParams(search)] : []);
  for (const r of ROUTES) {
    if (typeof r.hash === 'string' && r.hash === hash) return [r, query(r)];
    const groups = typeof r.hash !== 'string' && r.hash.exec(hash);
    if (groups) return [r, [...groups.slice(1).map(decodeURIComponent), ...query(r)]];
  }
  return [];
}

async function route() {
  if (!me) return;
  leaveView();
  leaveView = () => {};
  const current = ++navigation;
  const [hash, search = ''] = (location.hash || homeHash()).split('?');
  const [found, args] = match(hash, search);
  // A nav link is current on any hash of its route (Search on #/search/orders too).
  for (const link of nav.querySelectorAll('a')) link.toggleAttribute('aria-current', Boolean(found) && match(link.getAttribute('href'))[0] === found);
  // Everyone's home is one of the pages above, so anything else (or a page of another role) goes there.
  if (!found || !mayOpen(found)) return void (location.hash = homeHash());
  // Pages count days in the business time zone (businessDay), so the console's settings come with the page; loaded once.
  const [view] = await Promise.all([found.view(), consoleSettings().catch(() => null)]);
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
