// Tiny DOM and formatting helpers. Text always goes in as text nodes, never as HTML, so nothing the
// API returns (subjects, notes, customer names) can inject markup.
import { STATUS_LABELS } from './vocab.js';

/** h('button', { type: 'button', onclick }, 'Claim') → an element; attributes starting with "on" become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'className') el.className = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  el.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** "walk_in" → "walk in", "request-info" → "request info": the API's words, readable. */
export const words = (value) => String(value ?? '').replaceAll('_', ' ').replaceAll('-', ' ');

/** "in_progress_l2" → "in progress at L2": a ticket's state in words. */
export const statusText = (status) => STATUS_LABELS[status] ?? words(status);

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatTime = (iso) => (iso ? dateTime.format(new Date(iso)) : '—');

/** A signed duration as "3h 12m", "4m 05s", or "overdue 2m 10s". */
export function formatRemaining(ms) {
  const overdue = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hr = Math.floor(s / 3600); s -= hr * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  const text = d > 0 ? `${d}d ${hr}h` : hr > 0 ? `${hr}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s).padStart(2, '0')}s`;
  return overdue ? `overdue ${text}` : text;
}

/** A live countdown element; one ticker below updates every element made here. */
export function countdown(iso) {
  if (!iso) return h('span', { className: 'muted' }, 'paused / none');
  const el = h('time', { datetime: iso, title: formatTime(iso), 'data-due': iso });
  tickOne(el, Date.now());
  return el;
}

function tickOne(el, now) {
  const left = Date.parse(el.dataset.due) - now;
  el.textContent = formatRemaining(left);
  el.classList.toggle('overdue', left < 0);
  el.classList.toggle('soon', left >= 0 && left < 15 * 60_000);
}

setInterval(() => {
  const now = Date.now();
  for (const el of document.querySelectorAll('[data-due]')) tickOne(el, now);
}, 1000);

/** A page's card with its heading. */
export const section = (title, ...content) => h('section', { className: 'card' }, h('h2', {}, title), ...content);
/** Term and value pairs; a falsy entry is left out. */
export const pairs = (entries) => h('dl', {}, entries.filter(Boolean).map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
/** A labelled form control. */
export const field = (id, label, control) => h('div', { className: 'field' }, h('label', { for: id }, label), control);

/** A select of the API's values in words; with `blank` (its label) it may be left empty, which sends nothing. */
export const choices = (id, name, values, selected, blank) => h('select', { id, name, required: !blank },
  blank && h('option', { value: '' }, blank), values.map((v) => h('option', { value: v, selected: v === selected }, words(v))));

/**
 * A form's submit handler: its button is disabled while `run(form)` works, and a refusal goes to `error` in the API's
 * words (or to `fail(err)`, for a page that offers more than the words).
 */
export const submitting = (button, error, run, fail = (err) => { error.textContent = err.message; }) => async (event) => {
  event.preventDefault();
  button.disabled = true;
  replace(error);
  try { await run(event.target); } catch (err) { fail(err); } finally { button.disabled = false; }
};

export const badge = (text, kind) => h('span', { className: `badge ${kind ?? ''}` }, text);

let toastTimer;
/** A short polite announcement ("Claim: done. The ticket is now in progress at L2.") for sighted and screen-reader users alike. */
export function announce(text) {
  const toast = document.getElementById('toast');
  toast.textContent = text;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.textContent = ''; }, 6000);
}

/** Runs `load` now and every `ms` while the tab is visible; returns the stop function a view hands back. */
export function poll(load, ms) {
  load();
  const timer = setInterval(() => { if (!document.hidden) load(); }, ms);
  return () => clearInterval(timer);
}

/** "1234.50" → 123450: the API's money as cents, for the sums and shares a page shows (never sent back). */
export const cents = (money) => Math.round(Number(money) * 100);
/** 123450 → "1234.50", the API's way of writing money. */
export const money = (value) => (value / 100).toFixed(2);
