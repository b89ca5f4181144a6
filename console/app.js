// The support console: sign-in, the header (with the inbox's unread count), and a hash router over its views.
import { api, session, whenUnauthorized } from './api.js';
import { agentView } from './agent.js';
import { contractView } from './contract.js';
import { customerSearchView, customerView } from './customer.js';
import { dashboardView } from './dashboard.js';
import { FINANCE_ROLES, financeView } from './finance.js';
import { h, replace } from './dom.js';
import { inboxLink, inboxView, watchInbox } from './inbox.js';
import { mailView } from './mail.js';
import { orderView } from './order.js';
import { queueView } from './queue.js';
import { returnsView } from './returns.js';
import { tasksView } from './tasks.js';
import { ticketView } from './ticket.js';
import { usersView } from './users.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

const SUPPORT_ROLES = ['support_l2', 'support_l3', 'supervisor'];
const FRONT_ROLES = ['agent', 'supervisor'];
const MANAGER_ROLES = ['manager', 'supervisor'];
const ADMIN_ROLES = ['admin'];
const RETURN_ROLES = ['agent', 'fulfilment'];

/** The page of each kind of process, by its hash: `#/orders/SO-2026-000045`. */
const PROCESS_PAGES = { tickets: ticketView, contracts: contractView, orders: orderView };

let me = null;
/** The current view's clean-up (stops its polling) when the user navigates away. */
let leaveView = () => {};
/** Stops the inbox's polling (the header's unread count) when the user signs out. */
let stopInbox = () => {};

const hasRole = (roles) => me.roles.some((role) => roles.includes(role));

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
  const links = [
    hasRole(SUPPORT_ROLES) && ['#/queue', 'Queue'],
    hasRole(FRONT_ROLES) && ['#/agent', 'Front line'],
    hasRole(MANAGER_ROLES) && ['#/dashboard', 'Dashboard'],
    hasRole(FINANCE_ROLES) && ['#/finance', 'Finance'],
    ['#/customers', 'Customers'],
    hasRole(ADMIN_ROLES) && ['#/users', 'Users'],
    hasRole(RETURN_ROLES) && ['#/returns', 'Returns'],
    // Every role has tasks (GET /tasks); for the roles without a queue or a dashboard it is the home page.
    ['#/tasks', 'My tasks'],
  ].filter(Boolean);
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
  if (hasRole(SUPPORT_ROLES)) return '#/queue';
  if (hasRole(FRONT_ROLES)) return '#/agent';
  if (hasRole(MANAGER_ROLES)) return '#/dashboard';
  return '#/tasks';
}

function route() {
  if (!me) return;
  leaveView();
  const [hash, search = ''] = (location.hash || homeHash()).split('?');
  for (const link of nav.querySelectorAll('a')) link.toggleAttribute('aria-current', link.getAttribute('href') === hash);
  const ctx = { me, main };
  const [, page, id] = /^#\/(tickets|contracts|orders)\/([^/]+)$/.exec(hash) ?? [];
  const customer = /^#\/customers\/([^/]+)$/.exec(hash);
  if (page) leaveView = PROCESS_PAGES[page](ctx, decodeURIComponent(id));
  else if (hash === '#/tasks') leaveView = tasksView(ctx);
  else if (customer) leaveView = customerView(ctx, decodeURIComponent(customer[1]));
  else if (hash === '#/customers') leaveView = customerSearchView(ctx);
  else if (hash === '#/finance' && hasRole(FINANCE_ROLES)) leaveView = financeView(ctx, new URLSearchParams(search));
  else if (hash === '#/queue' && hasRole(SUPPORT_ROLES)) leaveView = queueView(ctx);
  else if (hash === '#/agent' && hasRole(FRONT_ROLES)) leaveView = agentView(ctx);
  else if (hash === '#/dashboard' && hasRole(MANAGER_ROLES)) leaveView = dashboardView(ctx);
  else if (hash === '#/users' && hasRole(ADMIN_ROLES)) leaveView = usersView(ctx);
  else if (hash === '#/returns' && hasRole(RETURN_ROLES)) leaveView = returnsView(ctx);
  else if (hash === '#/inbox') leaveView = inboxView(ctx);
  else if (hash === '#/mail') leaveView = mailView(ctx);
  // Everyone's home is one of the pages above, so anything else goes there.
  else return void (location.hash = homeHash());
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
