// The API client. The key lives in sessionStorage: it survives a reload but not closing the tab,
// and it is never put in a URL or a cookie.
const KEY = 'crmflow.apiKey';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(value) {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  },
};

/** An API refusal; `message` is the problem+json `detail`, which is written for people. */
export class ApiError extends Error {
  constructor(status, problem) {
    const detail = problem.detail ?? problem.title ?? `HTTP ${status}`;
    // Some refusals name their reasons in the detail already (a field someone may not set): said once.
    const fieldErrors = (problem.errors ?? []).filter((e) => !detail.includes(e.message)).map((e) => `${e.path}: ${e.message}`).join('; ');
    super([detail, fieldErrors].filter(Boolean).join(' — '));
    this.status = status;
    this.problem = problem;
  }
}

/** Called when the key is refused (401), so the app can ask for a new one. */
let onUnauthorized = () => {};
export const whenUnauthorized = (handler) => { onUnauthorized = handler; };

/** Sends a request with the key; answers the Response, or throws the API's refusal (a 401 also ends the session). */
async function send(path, { headers, ...init }) {
  const res = await fetch(`/api/v1${path}`, { ...init, headers: { ...headers, authorization: `Bearer ${session.key}` } });
  if (res.ok) return res;
  const problem = await res.json().catch(() => ({}));
  if (res.status === 401) onUnauthorized(problem.detail);
  throw new ApiError(res.status, problem);
}

/** A JSON call; a FormData body (an upload) goes as multipart, with the boundary the browser chooses. */
export async function api(path, { method = 'GET', body, query, headers } = {}) {
  const params = new URLSearchParams(Object.entries(query ?? {}).filter(([, v]) => v !== '' && v !== undefined && v !== null));
  const json = body !== undefined && !(body instanceof FormData);
  const res = await send(`${path}${params.size ? `?${params}` : ''}`, {
    method, headers: json ? { ...headers, 'content-type': 'application/json' } : headers, body: json ? JSON.stringify(body) : body,
  });
  return res.json().catch(() => ({}));
}

/** A file the API serves (an attachment), fetched with the key: a plain link would reach the API without it. */
export const apiFile = async (path) => (await send(path, {})).blob();

export const ticketAction = (id, action, body = {}) => api(`/tickets/${encodeURIComponent(id)}/${action}`, { method: 'POST', body });

const customers = new Map();
/** Customers change rarely; one request per customer per tab is enough for names in lists. */
export function customer(id) {
  if (!customers.has(id)) customers.set(id, api(`/customers/${encodeURIComponent(id)}`).catch(() => { customers.delete(id); return null; }));
  return customers.get(id);
}

// getRandomValues, unlike randomUUID, also works when the console is served over plain http.
/** A fresh Idempotency-Key: one per thing being created, so a double click or a retried request creates it once. */
export const newIdempotencyKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

let settingsLoad;
let settingsValue = null;
/** The console's own settings (served by api/routes/console.ts: Temporal UI links, number prefixes, business time zone); loaded once. */
export const consoleSettings = () => (settingsLoad ??= fetch('/console/settings.json')
  .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`settings: HTTP ${res.status}`))))
  .then((value) => (settingsValue = value))
  .catch((err) => { settingsLoad = undefined; throw err; }));

const DAY_MS = 86_400_000;
/**
 * The business day (YYYY-MM-DD) of an instant, `days` later: days are the business time zone's, as the API counts
 * report ranges, due dates and late fees (Appendix A). The shell loads the settings before it opens any page.
 */
export function businessDay(at = Date.now(), days = 0) {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: settingsValue?.businessTimeZone ?? 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  return days === 0 ? day : new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
