import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KINDS, NOTIFICATION_KINDS, type NotificationData, type NotificationKind, type NotificationKindInfo } from '../domain/notifications';

// One plain-text template per kind and language in channels/templates/<language>/<kind>.txt: a
// `Subject:` line, a blank line, the body. `{{field}}` takes one of the kind's fields. The HTML part
// wraps the same words in layout.html, so a kind is worded once per language.

const TEMPLATES_DIR = fileURLToPath(new URL('./templates', import.meta.url));
export const DEFAULT_LANGUAGE = 'en';

interface Template { subject: string; body: string }

function loadTemplates(): Map<string, Map<NotificationKind, Template>> {
  const languages = readdirSync(TEMPLATES_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  return new Map(languages.map((language) => [language, new Map(KINDS.map((kind) => [kind, parseTemplate(readFileSync(path.join(TEMPLATES_DIR, language, `${kind}.txt`), 'utf8'), `${language}/${kind}`)]))]));
}

function parseTemplate(source: string, name: string): Template {
  const match = /^Subject: (.+)\n\n([\s\S]+?)\n*$/.exec(source);
  if (!match) throw new Error(`template ${name} must start with a "Subject:" line and a blank line`);
  return { subject: match[1]!, body: match[2]! };
}

const templates = loadTemplates();
const layout = readFileSync(path.join(TEMPLATES_DIR, 'layout.html'), 'utf8');
const LINK_TEXT: Record<string, string> = { en: 'Open in crmflow', de: 'In crmflow öffnen' };

export const LANGUAGES = [...templates.keys()].sort();
export const languageOf = (wanted: string | null | undefined): string => (wanted && templates.has(wanted) ? wanted : DEFAULT_LANGUAGE);

export interface Rendered { subject: string; text: string; html: string }

/** Words a notification for one reader; `link` (staff only) points at the record in the console. */
export function render(kind: NotificationKind, language: string | null, data: NotificationData, link: string | null): Rendered {
  const lang = languageOf(language);
  const template = templates.get(lang)!.get(kind)!;
  const fill = (text: string) => substitute(text, data, `${lang}/${kind}`);
  const subject = fill(template.subject).replace(/[\r\n]+/g, ' ');
  const text = fill(template.body) + (link ? `\n\n${LINK_TEXT[lang] ?? LINK_TEXT.en}: ${link}\n` : '\n');
  // A customer's links (the portal) stand alone as words in the text; in the HTML part they are anchors.
  const links = new Set(linkFieldsOf(kind).flatMap((field) => (data[field] === undefined ? [] : [escapeHtml(String(data[field]))])));
  const linked = (escaped: string) => escaped.split(/(\s+)/).map((word) => (links.has(word) ? `<a href="${word}" style="color: #1d4ed8">${word}</a>` : word)).join('');
  const paragraphs = fill(template.body).split(/\n{2,}/).map((p) => `<p>${linked(escapeHtml(p)).replaceAll('\n', '<br>')}</p>`).join('\n');
  const html = substitute(layout, {
    language: lang, subject, number: String(data.number ?? ''), paragraphs,
    linkHtml: link ? `<p><a href="${escapeHtml(link)}" style="color: #1d4ed8">${escapeHtml(LINK_TEXT[lang] ?? LINK_TEXT.en!)}</a></p>` : '',
  }, 'layout.html', ['paragraphs', 'linkHtml']);
  return { subject, text, html };
}

function substitute(text: string, data: NotificationData, name: string, raw: readonly string[] = []): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, field: string) => {
    const value = data[field];
    if (value === undefined) throw new Error(`template ${name} uses {{${field}}}, which the notification does not carry`);
    return raw.includes(field) ? String(value) : name === 'layout.html' ? escapeHtml(String(value)) : String(value);
  });
}

/** Text made safe inside HTML elements and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The fields each template uses, for the check that every template only uses what its kind carries. */
export function templateFields(language: string, kind: NotificationKind): string[] {
  const template = templates.get(language)!.get(kind)!;
  return [...`${template.subject}\n${template.body}`.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
}

const linkFieldsOf = (kind: NotificationKind): readonly string[] => (NOTIFICATION_KINDS[kind] as NotificationKindInfo).links ?? [];

export const kindFields = (kind: NotificationKind): readonly string[] => [...NOTIFICATION_KINDS[kind].fields, ...linkFieldsOf(kind)];
