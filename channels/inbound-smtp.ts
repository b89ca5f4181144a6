import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { newText } from '../domain/inbound';

// The e-mail door in: an SMTP listener (smtp-server) that a mail server or relay forwards to. A message
// is parsed (mailparser), handed to `store`, and answered 250 only once the store has committed; a store
// that fails is answered 451, so the sender keeps the message and tries again. Nothing accepted is lost.

export interface ParsedMail {
  messageId: string;
  fromAddress: string;
  fromName: string | null;
  toAddresses: string[];
  subject: string;
  /** In-Reply-To, then References. */
  refersTo: string[];
  headers: Record<string, string>;
  text: string;
  raw: Buffer;
  size: number;
}

export interface InboundListenerOptions {
  host: string;
  port: number;
  maxBytes: number;
  store: (mail: ParsedMail) => Promise<void>;
  /** Where a failed store or parse is reported (the listener itself never throws). */
  onError?: (error: Error) => void;
}

export interface InboundListener { port: number; close(): Promise<void> }

// PostgreSQL text and jsonb cannot hold NUL; a header or body carrying one keeps the rest of its words.
const clean = (text: string) => text.replace(/\0/g, '');
const addresses = (field: AddressObject | AddressObject[] | undefined) => (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value);
const list = (value: string | string[] | undefined) => (Array.isArray(value) ? value : value ? value.split(/\s+/) : []).filter(Boolean);

/** Reads a raw message; a message without a Message-ID gets one from its bytes, so a redelivery is still one message. */
export async function parseMail(raw: Buffer, envelope: { from: string | null; to: string[] }): Promise<ParsedMail> {
  const parsed = await simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
  const from = addresses(parsed.from)[0];
  const headers = Object.fromEntries(parsed.headerLines.map((line) => [clean(line.key), clean(line.line.slice(line.key.length + 1).trim().slice(0, 2000))]));
  return {
    messageId: clean(parsed.messageId ?? '') || `<sha256.${createHash('sha256').update(raw).digest('hex')}@inbound.crmflow>`,
    fromAddress: clean(from?.address ?? envelope.from ?? '').toLowerCase(),
    fromName: clean(from?.name ?? '') || null,
    toAddresses: addresses(parsed.to).map((a) => clean(a.address ?? '')).filter(Boolean).concat(envelope.to).filter((a, i, all) => all.indexOf(a) === i),
    subject: clean(parsed.subject ?? ''),
    refersTo: [...list(parsed.inReplyTo), ...list(parsed.references)].map(clean),
    headers,
    text: newText(clean(parsed.text ?? '')).slice(0, 100_000),
    raw,
    size: raw.length,
  };
}

export async function startInboundListener(options: InboundListenerOptions): Promise<InboundListener> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'crmflow inbound',
    logger: false,
    // Announced as SIZE (RFC 1870): a client that says it is larger is refused at MAIL FROM with 552.
    size: options.maxBytes,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(Object.assign(new Error(`message exceeds the ${options.maxBytes}-byte limit`), { responseCode: 552 }));
        }
        const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, to: session.envelope.rcptTo.map((r) => r.address) };
        parseMail(Buffer.concat(chunks), envelope)
          .then((mail) => options.store(mail))
          .then(() => callback(), (error: Error) => {
            options.onError?.(error);
            callback(Object.assign(new Error('could not store the message; try again later'), { responseCode: 451 }));
          });
      });
    },
  });
  server.on('error', (error) => options.onError?.(error));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.server.address() as { port: number }).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The files a stored message carries, in order (read again from its raw source when it is routed). */
export async function attachmentsOf(raw: Buffer): Promise<Array<{ filename: string; contentType: string; content: Buffer }>> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  return parsed.attachments.map((a, i) => ({ filename: clean(a.filename ?? `attachment-${i + 1}`).slice(0, 255), contentType: a.contentType || 'application/octet-stream', content: a.content }));
}
