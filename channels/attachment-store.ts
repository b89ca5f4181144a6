import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

// Attachment bytes, content-addressed under <dataDir>/attachments/<first two hex>/<sha256>: the same file
// sent twice is kept once, and a name never changes meaning. Written to a temporary name and renamed, so
// a crash mid-write leaves no half file under a real name.

export interface AttachmentStore {
  put(bytes: Buffer): Promise<{ sha256: string; size: number }>;
  open(sha256: string): ReadStream;
}

export function attachmentStore(dataDir: string): AttachmentStore {
  const root = path.join(dataDir, 'attachments');
  const where = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256);
  return {
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const file = where(sha256);
      const present = await access(file).then(() => true, () => false);
      if (!present) {
        await mkdir(path.dirname(file), { recursive: true });
        const temporary = `${file}.${randomUUID()}.part`;
        await writeFile(temporary, bytes, { mode: 0o600 });
        await rename(temporary, file);
      }
      return { sha256, size: bytes.length };
    },
    open: (sha256) => createReadStream(where(sha256)),
  };
}

// Types a browser would run or render as a page: stored as sent, but always served as a download of
// opaque bytes, so an attachment can never act in the console's origin.
const ACTIVE_EXTENSIONS = /\.(exe|com|bat|cmd|msi|scr|dll|pif|cpl|jar|js|mjs|vbs|vbe|wsf|ps1|sh|bash|php|py|pl|rb|apk|app|html?|xhtml|svg|xml)$/i;
const ACTIVE_TYPES = /^(application\/(x-msdownload|x-ms-installer|x-msdos-program|x-sh|x-executable|java-archive|javascript|x-javascript|ecmascript|xhtml\+xml|xml)|text\/(html|javascript|xml)|image\/svg\+xml)/i;

/** How a stored attachment is served: its own type for passive content, opaque bytes otherwise; always as a download. */
export function servedAs(contentType: string, filename: string): { contentType: string; disposition: string } {
  const active = ACTIVE_EXTENSIONS.test(filename) || ACTIVE_TYPES.test(contentType) || !/^[\w.+-]+\/[\w.+-]+$/.test(contentType);
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return {
    contentType: active ? 'application/octet-stream' : contentType,
    disposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  };
}
