// The Mail page: what the local mail catcher (npm start without CRM_SMTP_URL) caught, newest first.
// Only the plain-text body is shown, as text: a mail's HTML never enters the page.
import { api } from './api.js';
import { formatTime, h, poll, replace } from './dom.js';

const REFRESH_MS = 5_000;

function message(mail, opened) {
  const item = h('details', { className: 'mail', 'data-message': mail.messageId, open: opened.has(mail.messageId) },
    h('summary', {},
      h('time', { datetime: mail.receivedAt }, formatTime(mail.receivedAt)), ' · ',
      h('span', { className: 'mail-to' }, mail.to.join(', ')), ' · ',
      h('strong', { className: 'mail-subject' }, mail.subject || '(no subject)'),
      mail.repeats > 0 && h('span', { className: 'muted' }, ` (arrived ${mail.repeats + 1} times, shown once)`)),
    h('p', { className: 'muted' }, `From ${mail.from}`),
    h('pre', { className: 'prose mail-text' }, mail.text));
  item.addEventListener('toggle', () => { if (item.open) opened.add(mail.messageId); else opened.delete(mail.messageId); });
  return item;
}

export function mailView({ main }) {
  const list = h('div', {});
  const updated = h('span', { className: 'muted' });
  const error = h('p', { className: 'error', role: 'alert' });
  const opened = new Set();
  let drawn = null;
  let latest = 0;
  async function load() {
    const mine = ++latest;
    try {
      const { items } = await api('/mail-catcher/messages');
      if (mine !== latest) return;
      error.textContent = '';
      updated.textContent = `${items.length} caught · updated ${new Date().toLocaleTimeString()}`;
      const key = JSON.stringify(items);
      if (key === drawn) return;
      drawn = key;
      const focused = list.contains(document.activeElement) ? document.activeElement.closest('details')?.dataset.message : null;
      const newest = [...items].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt));
      replace(list, newest.length === 0
        ? h('p', { className: 'muted empty' }, 'No mail caught yet.')
        : h('div', { className: 'stack mails', role: 'list', 'aria-label': 'Caught mail, newest first' },
          newest.map((mail) => h('div', { role: 'listitem' }, message(mail, opened)))));
      if (focused) list.querySelector(`details[data-message="${CSS.escape(focused)}"] summary`)?.focus();
    } catch (err) {
      if (mine !== latest) return;
      drawn = null;
      if (err.status === 404) {
        updated.textContent = '';
        replace(list, h('p', { className: 'empty', id: 'no-mail-catcher' }, 'No mail catcher runs here: e-mail goes to the SMTP server set in CRM_SMTP_URL, or is off.'));
      } else {
        error.textContent = `Could not load the mail: ${err.message}`;
      }
    }
  }
  replace(main,
    h('div', { className: 'title-row' }, h('h1', { tabindex: -1 }, 'Mail'), updated),
    h('p', { className: 'muted' }, 'Mail caught by the local mail catcher; open one to read its text.'),
    error, list);
  return poll(load, REFRESH_MS);
}
