// The in-app inbox's feed: the unread count in the header for every signed-in user, polled every few seconds
// from sign-in to sign-out; the inbox page (inbox-page.js, loaded when opened) draws from the same feed.
import { api } from './api.js';
import { announce, h, poll } from './dom.js';

const REFRESH_MS = 5_000;
export const LIMIT = 20;

/** The newest notifications and the unread count, with who listens for a change (the inbox page) and how to reload now. */
export const feed = { page: null, error: null, listeners: new Set(), load: null };
const tell = () => { for (const listener of feed.listeners) listener(); };

/** Starts polling the caller's inbox and keeps `badge` (the header's count) current; returns the stop function. */
export function watchInbox(badge) {
  let latest = 0;
  let stopped = false;
  let unread = null;
  async function load() {
    const mine = ++latest;
    try {
      const page = await api('/notifications', { query: { limit: LIMIT } });
      if (stopped || mine !== latest) return;
      if (unread !== null && page.unread > unread) {
        const newest = page.items.find((item) => !item.readAt);
        announce(`New notification${newest ? `: ${newest.subject}` : ''}. ${page.unread} unread.`);
      }
      unread = page.unread;
      badge.textContent = String(page.unread);
      badge.dataset.count = String(page.unread);
      feed.page = page;
      feed.error = null;
    } catch (err) {
      if (stopped || mine !== latest) return;
      feed.error = err;
    }
    tell();
  }
  feed.load = load;
  const stopPolling = poll(load, REFRESH_MS);
  return () => {
    stopped = true;
    stopPolling();
    Object.assign(feed, { page: null, error: null, load: null });
    feed.listeners.clear();
  };
}

/** The header's link to the inbox, its count read out with it ("Inbox 3 unread"). */
export function inboxLink() {
  const badge = h('span', { id: 'inbox-unread', className: 'badge count', 'data-count': '' }, '…');
  return [h('a', { href: '#/inbox' }, 'Inbox ', badge, h('span', { className: 'sr-only' }, ' unread')), badge];
}
