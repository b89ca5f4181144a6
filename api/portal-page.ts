import { createHash } from 'node:crypto';
import { escapeHtml as esc, languageOf } from '../channels/render';
import { PORTAL_PATH, type PortalPurpose } from '../domain/portal';

// The customer's portal pages: server-rendered HTML without a single script, in the customer's language.
// Every value from the ticket or the request is escaped; the only style is the one below, admitted by its
// hash, so the policy can forbid everything else.

const STYLE = `
body { font: 1rem/1.5 system-ui, sans-serif; color: #111827; background: #f9fafb; margin: 0; }
main { max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
section, .notice { background: #fff; border: 1px solid #d1d5db; border-radius: .5rem; padding: 1rem 1.25rem; margin: 1rem 0; }
section:target { border: 2px solid #1d4ed8; }
.text { white-space: pre-wrap; }
fieldset { border: 0; padding: 0; margin: 0 0 1rem; }
legend, label { font-weight: 600; display: block; margin-bottom: .25rem; }
.scores { display: flex; gap: 1rem; flex-wrap: wrap; }
.scores label { font-weight: 400; display: inline-flex; gap: .25rem; align-items: center; }
textarea { width: 100%; box-sizing: border-box; font: inherit; min-height: 6rem; }
button { font: inherit; padding: .5rem 1rem; background: #1d4ed8; color: #fff; border: 0; border-radius: .375rem; cursor: pointer; }
button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.error { color: #b91c1c; font-weight: 600; }
`;

/** The whole policy: no scripts, no other styles or sources, forms only back to this origin, no frames. */
export const PORTAL_CSP = [
  "default-src 'none'", `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

const WORDS = {
  en: {
    request: 'Your request', resolution: 'Our resolution', question: 'Our question',
    solved: 'Solved', notSolved: 'Not solved',
    score: 'How satisfied are you with our help? (1 = not at all, 5 = very)', comment: 'Comment (optional)', confirm: 'Confirm: solved',
    reason: 'What is still not working?', reject: 'Send: not solved',
    answer: 'Your answer', send: 'Send answer',
    thanks: 'Thank you',
    confirmed: 'Thank you for your rating. Your request is closed.',
    rejected: 'Thank you. We have reopened your request and will continue working on it.',
    answered: 'Thank you for your answer. We continue working on your request.',
    missingScore: 'Please choose a score from 1 to 5.', missingReason: 'Please tell us what is still not working.', missingAnswer: 'Please write your answer.',
    deadTitle: 'This link cannot be used',
    unknown: 'This link is not valid. Please check that you opened the complete link from our e-mail.',
    expired: 'This link has expired. If your request still needs attention, please reply to our e-mail.',
    used: 'You have already answered through this link. Thank you.',
    revoked: 'This link is no longer valid: your request has moved on since we sent it. Please use the link in our most recent e-mail, or reply to it.',
    otherSite: 'This form can only be sent from its own page. Please open the link from our e-mail again.',
    movedOn: 'Your request no longer waits for this answer: it has moved on since the page was opened. Nothing was changed.',
    tooMany: 'Too many requests. Please wait a minute and try again.',
    unavailable: 'We could not record your answer just now. Please try again in a minute.',
    failed: 'Something went wrong. Please try again later.',
  },
  de: {
    request: 'Ihre Anfrage', resolution: 'Unsere Lösung', question: 'Unsere Frage',
    solved: 'Gelöst', notSolved: 'Nicht gelöst',
    score: 'Wie zufrieden sind Sie mit unserer Hilfe? (1 = gar nicht, 5 = sehr)', comment: 'Kommentar (optional)', confirm: 'Bestätigen: gelöst',
    reason: 'Was funktioniert noch nicht?', reject: 'Senden: nicht gelöst',
    answer: 'Ihre Antwort', send: 'Antwort senden',
    thanks: 'Vielen Dank',
    confirmed: 'Vielen Dank für Ihre Bewertung. Ihre Anfrage ist abgeschlossen.',
    rejected: 'Vielen Dank. Wir haben Ihre Anfrage wieder geöffnet und arbeiten weiter daran.',
    answered: 'Vielen Dank für Ihre Antwort. Wir arbeiten weiter an Ihrer Anfrage.',
    missingScore: 'Bitte wählen Sie eine Bewertung von 1 bis 5.', missingReason: 'Bitte sagen Sie uns, was noch nicht funktioniert.', missingAnswer: 'Bitte schreiben Sie Ihre Antwort.',
    deadTitle: 'Dieser Link kann nicht verwendet werden',
    unknown: 'Dieser Link ist ungültig. Bitte prüfen Sie, ob Sie den vollständigen Link aus unserer E-Mail geöffnet haben.',
    expired: 'Dieser Link ist abgelaufen. Falls Ihre Anfrage noch offen ist, antworten Sie bitte auf unsere E-Mail.',
    used: 'Sie haben über diesen Link bereits geantwortet. Vielen Dank.',
    revoked: 'Dieser Link gilt nicht mehr: Ihre Anfrage ist seitdem weitergegangen. Bitte verwenden Sie den Link aus unserer neuesten E-Mail oder antworten Sie darauf.',
    otherSite: 'Dieses Formular kann nur von seiner eigenen Seite gesendet werden. Bitte öffnen Sie den Link aus unserer E-Mail erneut.',
    movedOn: 'Ihre Anfrage wartet nicht mehr auf diese Antwort: Sie ist weitergegangen, seit die Seite geöffnet wurde. Es wurde nichts geändert.',
    tooMany: 'Zu viele Anfragen. Bitte warten Sie eine Minute und versuchen Sie es erneut.',
    unavailable: 'Wir konnten Ihre Antwort gerade nicht speichern. Bitte versuchen Sie es in einer Minute erneut.',
    failed: 'Etwas ist schiefgegangen. Bitte versuchen Sie es später erneut.',
  },
} satisfies Record<string, Record<string, string>>;

export type PortalWord = keyof typeof WORDS.en;
export type PortalAction = 'solved' | 'not-solved' | 'answer';
export const wordsFor = (language: string | null) => WORDS[languageOf(language) as keyof typeof WORDS] ?? WORDS.en;

function page(language: string | null, title: string, body: string): string {
  return `<!doctype html>
<html lang="${esc(languageOf(language))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A page that only says something: a dead link, a refusal, the thanks. */
export function noticePage(language: string | null, title: string, message: string): string {
  return page(language, title, `<h1>${esc(title)}</h1>\n<p class="notice" role="status">${esc(message)}</p>`);
}

export interface AskPage {
  language: string | null;
  token: string;
  purpose: PortalPurpose;
  subject: string;
  asked: string;
  /** A form sent back incomplete: which one, and what was missing; the customer's words stay in it. */
  error?: { action: PortalAction; word: PortalWord; values: Record<string, string> };
}

/** The ticket's subject and what it asks (the resolution or the question), with the forms to answer. */
export function askPage(p: AskPage): string {
  const w = wordsFor(p.language);
  const action = (name: PortalAction) => `${PORTAL_PATH}${esc(p.token)}/${name}`;
  const errorOf = (name: PortalAction) => (p.error?.action === name ? p.error : null);
  const value = (name: PortalAction, field: string) => esc(errorOf(name)?.values[field] ?? '');
  const alert = (name: PortalAction) => {
    const error = errorOf(name);
    return error ? `<p class="error" role="alert" id="${name}-error">${esc(w[error.word])}</p>\n` : '';
  };
  const invalid = (name: PortalAction) => (errorOf(name) ? ` aria-invalid="true" aria-describedby="${name}-error"` : '');
  const header = `<h1>${esc(w.request)}: ${esc(p.subject)}</h1>
<h2>${esc(p.purpose === 'resolution' ? w.resolution : w.question)}</h2>
<p class="notice text">${esc(p.asked)}</p>`;
  if (p.purpose === 'question') {
    return page(p.language, w.request, `${header}
<section id="answer" aria-labelledby="answer-title">
<h2 id="answer-title">${esc(w.answer)}</h2>
<form method="post" action="${action('answer')}">
${alert('answer')}<label for="text">${esc(w.answer)}</label>
<textarea id="text" name="text" required maxlength="5000"${invalid('answer')}>${value('answer', 'text')}</textarea>
<p><button type="submit">${esc(w.send)}</button></p>
</form>
</section>`);
  }
  const chosen = errorOf('solved')?.values.satisfaction;
  const scores = [1, 2, 3, 4, 5].map((n) => `<label><input type="radio" name="satisfaction" value="${n}" required${chosen === String(n) ? ' checked' : ''}> ${n}</label>`).join('\n');
  return page(p.language, w.request, `${header}
<section id="solved" aria-labelledby="solved-title">
<h2 id="solved-title">${esc(w.solved)}</h2>
<form method="post" action="${action('solved')}">
${alert('solved')}<fieldset${invalid('solved')}>
<legend>${esc(w.score)}</legend>
<div class="scores">
${scores}
</div>
</fieldset>
<label for="comment">${esc(w.comment)}</label>
<textarea id="comment" name="comment" maxlength="2000">${value('solved', 'comment')}</textarea>
<p><button type="submit">${esc(w.confirm)}</button></p>
</form>
</section>
<section id="not-solved" aria-labelledby="not-solved-title">
<h2 id="not-solved-title">${esc(w.notSolved)}</h2>
<form method="post" action="${action('not-solved')}">
${alert('not-solved')}<label for="reason">${esc(w.reason)}</label>
<textarea id="reason" name="reason" required maxlength="2000"${invalid('not-solved')}>${value('not-solved', 'reason')}</textarea>
<p><button type="submit">${esc(w.reject)}</button></p>
</form>
</section>`);
}
