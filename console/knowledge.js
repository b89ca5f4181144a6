// The knowledge base where tickets are worked: suggestions while a complaint is written, a search on the
// ticket page from which articles are picked to cite in the resolution, and a draft started from a resolved ticket.
import { api, newIdempotencyKey } from './api.js';
import { announce, h, replace, submitting, words } from './dom.js';

const DEBOUNCE_MS = 400;

/** Calls `run` once the user has stopped typing for a moment; only the newest answer is drawn. */
export function debounced(run) {
  let timer;
  let latest = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++latest;
      const draw = await run(...args);
      if (mine === latest) draw();
    }, DEBOUNCE_MS);
  };
}

/** One article found; `linked`: its title opens the article's page (not where leaving would lose picked citations). */
export const articleItem = (a, extra, linked = false) => h('li', { 'data-article': a.id },
  h('strong', {}, linked ? h('a', { href: `#/articles/${encodeURIComponent(a.id)}` }, a.title) : a.title), ' ', h('span', { className: 'muted' }, `${a.id} · ${words(a.category)}`), extra,
  h('p', { className: 'prose muted' }, a.excerpt));

/** What the intake form shows under the description: the best-ranked published articles for the text so far. */
export function suggestionBox() {
  const list = h('ul', { className: 'articles', 'aria-live': 'polite' });
  const box = h('section', { className: 'suggestions', 'aria-label': 'Suggested articles' }, h('h3', {}, 'Suggested articles'), list);
  box.hidden = true;
  const update = debounced(async (text) => {
    if (text.trim().length < 3) return () => { box.hidden = true; };
    try {
      const { items } = await api('/articles/suggestions', { query: { text: text.slice(0, 2000) } });
      return () => { box.hidden = items.length === 0; replace(list, items.map((a) => articleItem(a))); };
    } catch {
      // Suggestions are a help, not a step: without them the complaint is written as before.
      return () => { box.hidden = true; };
    }
  });
  return { box, update };
}

/**
 * The ticket page's article search. `ids()` are the articles picked for the resolution (the page sends them
 * with `resolve` as `articleIds`); `reset()` forgets them once the resolution is recorded.
 */
export function articleSearch() {
  const cited = new Set();
  const query = h('input', { id: 'article-q', type: 'search', placeholder: 'words, "a phrase", -word', autocomplete: 'off' });
  const results = h('ul', { className: 'articles', 'aria-live': 'polite' });
  const picked = h('p', { className: 'muted', id: 'cited-articles' });
  const showPicked = () => { picked.textContent = cited.size === 0 ? 'No article picked to cite.' : `Cited when you resolve: ${[...cited].join(', ')}`; };
  const toggle = (a, button) => {
    if (cited.has(a.id)) cited.delete(a.id); else cited.add(a.id);
    button.textContent = cited.has(a.id) ? 'Do not cite' : 'Cite';
    button.setAttribute('aria-pressed', String(cited.has(a.id)));
    showPicked();
  };
  const search = debounced(async (q) => {
    if (!q.trim()) return () => replace(results);
    try {
      const page = await api('/articles', { query: { q, limit: 10 } });
      return () => replace(results, page.items.length === 0 ? h('li', { className: 'muted' }, `No published article matches "${q}".`)
        : page.items.map((a) => {
          const button = h('button', { type: 'button', 'aria-pressed': String(cited.has(a.id)) }, cited.has(a.id) ? 'Do not cite' : 'Cite');
          button.addEventListener('click', () => toggle(a, button));
          return articleItem(a, [' ', button]);
        }));
    } catch (err) {
      return () => replace(results, h('li', { className: 'error', role: 'alert' }, err.message));
    }
  });
  query.addEventListener('input', () => search(query.value));
  showPicked();
  return {
    element: [h('div', { className: 'field' }, h('label', { for: 'article-q' }, 'Search articles'), query), results, picked],
    ids: () => [...cited],
    reset: () => { cited.clear(); query.value = ''; replace(results); showPicked(); },
  };
}

/** The articles a ticket's resolutions cited. */
export const citedList = (citations) => (citations.length === 0 ? null
  : h('p', { className: 'muted' }, 'Cited articles: ', citations.map((c, i) => [i > 0 ? ', ' : '', `${c.title} (${c.articleId})`])));

/** For a knowledge engineer on a resolved ticket: start a draft from its subject and resolution, and open it. */
export function draftFromTicket(ticketId) {
  // One key per button: a double click starts one draft.
  const key = newIdempotencyKey();
  const button = h('button', { type: 'submit' }, 'Draft an article');
  const error = h('p', { className: 'error', role: 'alert' });
  return h('form', {
    'aria-label': 'Draft an article',
    onsubmit: submitting(button, error, async () => {
      const article = await api(`/articles/from-ticket/${encodeURIComponent(ticketId)}`, { method: 'POST', body: {}, headers: { 'idempotency-key': key } });
      announce(`Draft ${article.id} started from ticket ${ticketId}.`);
      location.hash = `#/articles/${encodeURIComponent(article.id)}`;
    }),
  }, button, error);
}
