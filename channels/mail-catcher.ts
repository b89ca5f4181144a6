import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

// A local SMTP sink for `npm start` and the tests: it accepts every message, keeps the newest in
// memory and shows them under the console (/console/#/mail). Like a careful receiver it recognises a
// repeat by its Message-ID: a repeat is counted, not listed twice.

export interface CaughtMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  receivedAt: string;
  /** How many more times the same Message-ID arrived. */
  repeats: number;
}

export interface MailCatcherOptions {
  host?: string;
  port?: number;
  /** How many messages to keep (oldest dropped first). */
  keep?: number;
  /** Called once a message is read, before it is answered 250 (a test can stop the sender here). */
  onMessage?: (mail: CaughtMail) => Promise<void> | void;
  /** A refusal for a recipient (`{code: 550, message}`), as a real server refuses an unknown mailbox. */
  refuseRecipient?: (address: string) => { code: number; message: string } | null;
}

export interface MailCatcher {
  port: number;
  host: string;
  url: string;
  messages(): CaughtMail[];
  close(): Promise<void>;
}

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const keep = options.keep ?? 500;
  const caught = new Map<string, CaughtMail>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    banner: 'crmflow mail catcher',
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = options.refuseRecipient?.(address.address);
      if (!refusal) return callback();
      return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(async (parsed) => {
        const messageId = parsed.messageId ?? `<no-id.${Date.now()}@catcher>`;
        const earlier = caught.get(messageId);
        if (earlier) {
          earlier.repeats += 1;
          await options.onMessage?.(earlier);
          return callback();
        }
        const mail: CaughtMail = {
          messageId,
          from: parsed.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : null,
          headers: Object.fromEntries([...parsed.headerLines].map((line) => [line.key, line.line.slice(line.key.length + 1).trim()])),
          receivedAt: new Date().toISOString(),
          repeats: 0,
        };
        caught.set(messageId, mail);
        while (caught.size > keep) caught.delete(caught.keys().next().value!);
        await options.onMessage?.(mail);
        callback();
      }, (error: Error) => callback(error));
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  server.on('error', () => {}); // a client that hangs up mid-message is its own problem
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    host,
    url: `smtp://${host}:${port}`,
    messages: () => [...caught.values()].reverse(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
