// Failed deliveries (admin, supervisor; #/failures): notifications that stopped for good, a refused address or
// URL or retries run out, newest first, so someone can reach the customer or fix the receiver another way.
import { api } from './api.js';
import { formatTime, h, replace } from './dom.js';
import { dataTable, recordLink } from './table.js';

const RECORD_PAGES = ['ticket', 'order', 'contract', 'customer'];
const resourceLink = ({ type, id }) => (RECORD_PAGES.includes(type) ? recordLink(`${type}s`, id) : `${type} ${id}`);

export function failuresView({ main }) {
  const list = h('div');
  const more = h('button', { type: 'button', hidden: true }, 'Older failures');
  const error = h('p', { className: 'error', role: 'alert' });
  const items = [];
  let cursor = null;
  let left = false;

  async function load() {
    try {
      const page = await api('/notifications/failures', { query: { limit: 50, cursor } });
      if (left) return;
      items.push(...page.items);
      cursor = page.nextCursor;
      more.hidden = !cursor;
      replace(list, dataTable({
        id: 'failures', caption: 'Failed deliveries, newest first', items, rowKey: (f) => f.id, empty: 'No delivery has failed.',
        columns: [['Failed', (f) => formatTime(f.failedAt)], ['Kind', (f) => f.kind], ['Channel', (f) => f.channel], ['Address', (f) => f.address],
          ['About', (f) => resourceLink(f.resource)], ['Reason', (f) => [f.lastResponseCode, f.reason].filter((x) => x !== null).join(' ') || '—'], ['Attempts', (f) => String(f.attempts), 'num']],
      }));
    } catch (err) {
      if (!left) error.textContent = err.message;
    }
  }
  more.addEventListener('click', load);

  replace(main, h('h1', { tabindex: -1 }, 'Failed deliveries'), error, list, h('div', { className: 'buttons' }, more));
  load();
  return () => { left = true; };
}
