// A ticket's files: the list, downloads, and an upload for those who write on the ticket. A download is fetched
// with the signed-in key and handed to the browser as a file, since a plain link would reach the API without it.
import { api, apiFile } from './api.js';
import { announce, field, formatTime, h, replace, section, submitting } from './dom.js';
import { ATTACHMENT_UPLOADERS, hasRole } from './roles.js';
import { dataTable } from './table.js';

/** SPEC §9; the API refuses a larger file in its own words. */
const LIMIT_TEXT = 'up to 10 MiB each';

const size = (bytes) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

/** Hands a fetched file to the browser's downloads under its own name. */
function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has the file once the click is handled; the URL then only holds memory.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function attachmentsSection(ticketId, me) {
  const path = `/tickets/${encodeURIComponent(ticketId)}/attachments`;
  const list = h('div');
  const error = h('p', { className: 'error', role: 'alert', id: 'attachment-error' });

  async function download(a) {
    replace(error);
    try {
      save(await apiFile(`/attachments/${encodeURIComponent(a.id)}`), a.filename);
    } catch (err) {
      error.textContent = err.message;
    }
  }

  async function load() {
    try {
      const { items } = await api(path);
      replace(list, dataTable({
        id: 'attachments', caption: 'Files attached to the ticket', items, rowKey: (a) => a.id, empty: 'No file attached.',
        columns: [
          ['File', (a) => h('button', { type: 'button', className: 'link', title: `Download ${a.filename}`, onclick: () => download(a) }, a.filename)],
          ['Size', (a) => size(a.size), 'num'], ['Type', (a) => a.contentType],
          ['Added', (a) => [formatTime(a.createdAt), a.inboundId ? ' (with an e-mail)' : a.uploadedBy === me.id ? ' by you' : '']],
        ],
      }));
    } catch (err) {
      error.textContent = `Could not load the files: ${err.message}`;
    }
  }

  function uploadForm() {
    const files = h('input', { id: 'attachment-files', name: 'file', type: 'file', multiple: true, required: true });
    const button = h('button', { type: 'submit' }, 'Upload');
    const form = h('form', { 'aria-label': 'Attach files' }, field('attachment-files', `Files (${LIMIT_TEXT})`, files), h('div', { className: 'buttons' }, button));
    form.addEventListener('submit', submitting(button, error, async () => {
      const { items } = await api(path, { method: 'POST', body: new FormData(form) });
      announce(`Attached: ${items.map((a) => a.filename).join(', ')}.`);
      form.reset();
      await load();
    }));
    return form;
  }

  load();
  return section('Files', list, hasRole(me, ATTACHMENT_UPLOADERS) ? uploadForm() : null, error);
}
