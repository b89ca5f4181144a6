// Webhooks (admin, #/webhooks): the subscriptions that receive notifications as signed HTTP calls, a form
// for a new one (its signing secret shown once), deleting one, and each one's deliveries, newest first.
import { api } from './api.js';
import { checkedValues, checks } from './forms.js';
import { announce, field, formatTime, h, replace, section, submitting } from './dom.js';
import { secretBox } from './secret.js';
import { dataTable } from './table.js';

const hookPath = (id) => `/webhooks/${encodeURIComponent(id)}`;

function deliveriesTable(hook, page) {
  return section(`Deliveries to ${hook.url}`, dataTable({
    id: 'webhook-deliveries', caption: `Deliveries of webhook ${hook.id}, newest first`, items: page.items, rowKey: (d) => d.id, empty: 'Nothing delivered yet.',
    columns: [['Delivery', (d) => d.webhookId], ['Kind', (d) => d.kind], ['Status', (d) => d.status], ['Attempts', (d) => String(d.attempts), 'num'],
      ['Last answer', (d) => [d.lastResponseCode, d.lastError].filter((x) => x !== null).join(' ') || '—'], ['Created', (d) => formatTime(d.createdAt)],
      ['Sent / failed', (d) => formatTime(d.sentAt ?? d.failedAt)]],
  }), page.nextCursor && h('p', { className: 'muted' }, 'The 100 newest are shown.'));
}

function newWebhookForm(kinds, onCreated) {
  const error = h('p', { className: 'error', role: 'alert' });
  const send = h('button', { type: 'submit', className: 'primary' }, 'Create webhook');
  const form = h('form', {
    className: 'card', id: 'new-webhook', 'aria-labelledby': 'new-webhook-title',
    onsubmit: submitting(send, error, async () => {
      const values = Object.fromEntries(new FormData(form));
      const description = values.description.trim();
      const hook = await api('/webhooks', { method: 'POST', body: { url: values.url.trim(), kinds: checkedValues(form, 'kinds'), ...(description ? { description } : {}) } });
      form.reset();
      announce(`Webhook ${hook.id} created.`);
      onCreated(hook);
    }),
  },
  h('h2', { id: 'new-webhook-title' }, 'New webhook'),
  field('webhook-url', 'URL', h('input', { id: 'webhook-url', name: 'url', type: 'url', required: true, maxlength: 2000, placeholder: 'https://example.com/crm-events' })),
  field('webhook-description', 'Description', h('input', { id: 'webhook-description', name: 'description', maxlength: 500 })),
  checks({ id: 'webhook-kinds', name: 'kinds', legend: 'Notification kinds', options: [['*', 'every kind'], ...kinds.map((k) => [k.kind, k.kind])] }),
  h('div', { className: 'buttons' }, send), error);
  return form;
}

export function webhooksView({ main }) {
  const list = h('div');
  const secret = h('div');
  const deliveries = h('div');
  const error = h('p', { className: 'error', role: 'alert' });
  let left = false;

  async function showDeliveries(hook) {
    try {
      replace(deliveries, deliveriesTable(hook, await api(`${hookPath(hook.id)}/deliveries`, { query: { limit: 100 } })));
      deliveries.querySelector('h2').focus();
    } catch (err) {
      error.textContent = err.message;
    }
  }

  async function remove(hook) {
    if (!confirm(`Delete webhook ${hook.id} (${hook.url})? Nothing more is sent to it; its deliveries stay readable.`)) return;
    try {
      await api(hookPath(hook.id), { method: 'DELETE' });
      announce(`Webhook ${hook.id} deleted.`);
      replace(deliveries);
      await load();
    } catch (err) {
      error.textContent = err.message;
    }
  }

  async function load() {
    try {
      const { items } = await api('/webhooks');
      if (left) return;
      replace(list, dataTable({
        id: 'webhooks', caption: 'Webhooks', items, rowKey: (w) => w.id, empty: 'No webhooks: notifications reach people only.',
        columns: [['Webhook', (w) => w.id], ['URL', (w) => w.url], ['Kinds', (w) => w.kinds.join(', ')], ['Description', (w) => w.description ?? '—'],
          ['Created', (w) => `${formatTime(w.createdAt)} by ${w.createdBy}`],
          ['', (w) => [h('button', { type: 'button', onclick: () => showDeliveries(w) }, `Deliveries of ${w.id}`), ' ', h('button', { type: 'button', onclick: () => remove(w) }, `Delete ${w.id}`)]]],
      }));
      error.textContent = '';
    } catch (err) {
      if (!left) error.textContent = err.message;
    }
  }

  const created = (hook) => {
    replace(secret, secretBox({ id: 'webhook-secret', title: `Signing secret of webhook ${hook.id}`, secret: hook.secret,
      note: 'The receiver checks each delivery\'s signature with it (Standard Webhooks). It is shown only this once.' }));
    load();
  };

  const form = h('div');
  replace(main, h('h1', { tabindex: -1 }, 'Webhooks'), error, secret, h('div', { className: 'columns' }, h('div', { className: 'stack' }, section('Subscriptions', list), deliveries), form));
  // The kinds a webhook may subscribe to are the notification kinds people choose from in their preferences.
  api('/me/notification-preferences').then(({ preferences }) => { if (!left) replace(form, newWebhookForm(preferences, created)); }, (err) => { error.textContent = err.message; });
  load();
  return () => { left = true; };
}
