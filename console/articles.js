// The knowledge base's own pages (issue 16): the people who work tickets search it and read an article with
// its versions; knowledge engineers write drafts, change them as new versions and publish them; and the report
// says which articles solved tickets at the first line, so they know what is worth writing.
import { api, newIdempotencyKey } from './api.js';
import { announce, badge, choices, field, formatTime, h, pairs, replace, section, submitting, words } from './dom.js';
import { articleItem, debounced } from './knowledge.js';
import { namer } from './panel.js';
import { ARTICLE_REPORT_ROLES, ARTICLE_WRITERS, DRAFT_READERS, hasRole } from './roles.js';
import { dataTable, recordLink } from './table.js';
import { CATEGORIES } from './vocab.js';

const ARTICLE_STATUSES = ['draft', 'published'];
const ACTION_LABELS = { update: 'Edit', publish: 'Publish', unpublish: 'Unpublish' };
const articlePath = (id) => `/articles/${encodeURIComponent(id)}`;
/** "router, e-mail reset" → ["router", "e-mail", "reset"]: tags are single words. */
const tagsOf = (text) => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/**
 * The one form for an article's content: empty for a new draft, filled with the version read for an edit.
 * `save(content)` sends it; `fail(err)` shows a refusal.
 */
function articleForm({ name, label, values = {}, save, fail, extra }) {
  const button = h('button', { type: 'submit', className: 'primary' }, label);
  const error = h('p', { className: 'error', role: 'alert', id: `${name}-error` });
  const form = h('form', { className: 'stack', 'aria-label': label },
    field(`${name}-title`, 'Title', h('input', { id: `${name}-title`, name: 'title', required: true, maxlength: 200, value: values.title ?? '' })),
    field(`${name}-body`, 'Text', h('textarea', { id: `${name}-body`, name: 'body', required: true, rows: 8 }, values.body ?? '')),
    h('div', { className: 'row' },
      field(`${name}-category`, 'Category', choices(`${name}-category`, 'category', CATEGORIES, values.category ?? 'usage')),
      field(`${name}-tags`, 'Tags (separated by spaces)', h('input', { id: `${name}-tags`, name: 'tags', value: (values.tags ?? []).join(' '), autocomplete: 'off' }))),
    h('div', { className: 'buttons' }, button, extra), error);
  form.addEventListener('submit', submitting(button, error, () => {
    const data = Object.fromEntries(new FormData(form));
    return save({ title: data.title.trim(), body: data.body, category: data.category, tags: tagsOf(data.tags) });
  }, fail && ((err) => fail(err, error))));
  return form;
}

function newArticleForm() {
  // One key per draft being written: a double click or a retried request writes it once.
  const key = newIdempotencyKey();
  return section('New article', articleForm({
    name: 'new-article', label: 'Write draft',
    save: async (content) => {
      const article = await api('/articles', { method: 'POST', body: content, headers: { 'idempotency-key': key } });
      announce(`Draft ${article.id} written (version 1).`);
      location.hash = `#/articles/${encodeURIComponent(article.id)}`;
    },
  }));
}

/** Which articles the resolutions cited, and how many of those resolved the ticket at L1 (all time). */
async function reportSection() {
  const box = section('Articles that resolved tickets', h('p', { className: 'muted' }, 'Loading…'));
  try {
    const { articles } = await api('/reports/articles');
    replace(box, h('h2', {}, 'Articles that resolved tickets'), dataTable({
      id: 'article-report', caption: 'Articles cited by resolutions, most first-line resolutions first', items: articles, rowKey: (a) => a.articleId,
      empty: 'No resolution has cited an article yet.',
      columns: [['Article', (a) => recordLink('articles', a.articleId)], ['Title', (a) => a.title], ['Status', (a) => a.status],
        ['Cited', (a) => String(a.citations), 'num'], ['Resolved at L1', (a) => String(a.l1Resolutions), 'num'], ['Tickets', (a) => String(a.tickets), 'num']],
    }));
  } catch (err) {
    replace(box, h('h2', {}, 'Articles that resolved tickets'), h('p', { className: 'error', role: 'alert' }, err.message));
  }
  return box;
}

export function articlesView({ me, main }) {
  const drafts = hasRole(me, DRAFT_READERS);
  const q = h('input', { id: 'articles-q', type: 'search', placeholder: 'words, "a phrase", -word', autocomplete: 'off' });
  // The others read published articles only; for them a draft does not exist.
  const status = drafts ? choices('articles-status', 'status', ARTICLE_STATUSES, null, 'any') : null;
  const results = h('ul', { className: 'articles', id: 'article-results', 'aria-live': 'polite' });
  const search = debounced(async () => {
    try {
      const { items } = await api('/articles', { query: { q: q.value.trim(), status: status?.value, limit: 50 } });
      return () => replace(results, items.length === 0 ? h('li', { className: 'muted' }, 'No article matches.')
        : items.map((a) => articleItem(a, a.status === 'draft' ? [' ', badge('draft', 'warn')] : null, true)));
    } catch (err) {
      return () => replace(results, h('li', { className: 'error', role: 'alert' }, err.message));
    }
  });
  q.addEventListener('input', search);
  status?.addEventListener('change', search);
  const report = h('div');
  replace(main,
    h('h1', { tabindex: -1 }, 'Articles'),
    h('div', { className: 'columns' },
      section('Find', h('form', { role: 'search', onsubmit: (e) => { e.preventDefault(); search(); } },
        h('div', { className: 'row' }, field('articles-q', 'Search articles', q), status && field('articles-status', 'Status', status))), results),
      hasRole(me, ARTICLE_WRITERS) ? newArticleForm() : null),
    report);
  search();
  if (hasRole(me, ARTICLE_REPORT_ROLES)) reportSection().then((box) => replace(report, box));
  return () => {};
}

function versionsSection(versions, who) {
  return section(`Versions (${versions.length})`, h('ol', { className: 'timeline', id: 'article-versions' }, versions.map((v) => h('li', { 'data-version': v.version },
    h('strong', {}, `Version ${v.version}`), ' · ', v.title, h('span', { className: 'muted' }, ` · ${words(v.category)} · by `, who(v.editedBy), ' · ', formatTime(v.at)),
    h('details', {}, h('summary', {}, 'Text'), h('p', { className: 'prose' }, v.body))))));
}

function factsSection(a, who) {
  return section('Details', pairs([
    ['Status', a.status],
    ['Version', String(a.version)],
    ['Category', words(a.category)],
    ['Tags', a.tags.length === 0 ? h('span', { className: 'muted' }, 'none') : a.tags.join(', ')],
    a.sourceTicketId && ['From ticket', recordLink('tickets', a.sourceTicketId)],
    ['Written', [who(a.createdBy), ' · ', formatTime(a.createdAt)]],
    ['Last changed', [who(a.updatedBy), ' · ', formatTime(a.updatedAt)]],
    a.publishedAt && ['Published', formatTime(a.publishedAt)],
  ]));
}

export function articleView({ me, main }, id) {
  const who = namer(me);
  const heading = h('h1', { tabindex: -1 }, `Article ${id}`);
  const status = h('p', { className: 'status-line', id: 'article-status' });
  const buttons = h('div', { className: 'buttons', role: 'group', 'aria-label': 'Actions' });
  const formSlot = h('div');
  const error = h('p', { className: 'error', role: 'alert', id: 'article-error' });
  const side = h('div', { className: 'stack' });
  const text = h('div', { className: 'stack' });
  const versions = h('div');

  async function load() {
    try {
      const [article, history] = await Promise.all([api(articlePath(id)), api(`${articlePath(id)}/versions`)]);
      draw(article, history.items);
    } catch (err) {
      if (err.status === 404) replace(main, h('h1', { tabindex: -1 }, `Article ${id}`), h('p', { className: 'error', role: 'alert' }, err.message));
      else error.textContent = `Could not load the article: ${err.message}`;
    }
  }

  function draw(a, history) {
    heading.textContent = `Article ${a.id}: ${a.title}`;
    replace(status, badge(a.status, a.status === 'published' ? 'ok' : 'warn'), ' ', badge(`version ${a.version}`));
    Object.assign(status.dataset, { status: a.status, version: String(a.version) });
    replace(formSlot);
    buttons.hidden = false;
    replace(buttons, a.allowedActions.length === 0 ? h('p', { className: 'muted' }, 'Nothing you can do on this article.')
      : a.allowedActions.map((action) => h('button', { type: 'button', 'data-action': action, onclick: () => act(a, action) }, ACTION_LABELS[action])));
    replace(side, factsSection(a, who));
    replace(text, section('Text', h('p', { className: 'prose', id: 'article-body' }, a.body)));
    replace(versions, versionsSection(history, who));
  }

  async function act(a, action) {
    replace(error);
    if (action === 'update') return edit(a);
    try {
      const changed = await api(`${articlePath(id)}/${action}`, { method: 'POST', body: {} });
      announce(`${ACTION_LABELS[action]}: done. The article is now ${changed.status}.`);
      await load();
      (buttons.querySelector('button') ?? heading).focus();
    } catch (err) {
      error.textContent = err.message;
    }
  }

  /** A new version of what was read: the PATCH names that version, so a change made meanwhile is not overwritten (409). */
  function edit(read) {
    buttons.hidden = true;
    const back = async () => { await load(); buttons.querySelector('button')?.focus(); };
    const form = articleForm({
      name: 'edit-article', label: 'Save as new version', values: read,
      extra: h('button', { type: 'button', onclick: back }, 'Back'),
      save: async (content) => {
        const changes = Object.fromEntries(Object.entries(content).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(read[k])));
        if (Object.keys(changes).length === 0) throw new Error('Nothing was changed.');
        const saved = await api(articlePath(id), { method: 'PATCH', body: { version: read.version, ...changes } });
        announce(`Saved: the article is now at version ${saved.version}.`);
        await back();
      },
      // Someone saved first: the API's words, and the way to read what they wrote before changing it again.
      fail: (err, where) => replace(where, err.message, err.status === 409 ? [' ', h('button', { type: 'button', onclick: back }, 'Reload the article')] : null),
    });
    replace(formSlot, h('h3', {}, 'Edit: saved as a new version'), form);
    form.querySelector('input')?.focus();
  }

  replace(main,
    h('div', { className: 'title-row' }, heading, h('button', { type: 'button', onclick: () => load() }, 'Refresh')),
    status,
    h('div', { className: 'columns' },
      h('div', { className: 'stack' }, section('Actions', buttons, formSlot, error), text),
      side),
    versions);
  load();
  return () => {};
}
