import fc from 'fast-check';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMail } from '../../channels/inbound-smtp';
import { sized } from '../helpers/chaos';
import { freshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { startHarness, type Harness } from '../helpers/harness';

// Malformed MIME at the inbound SMTP listener: broken boundaries, huge headers, invalid charsets, NUL
// bytes, truncated encodings. The listener never crashes, answers every message (250 or a refusal), and
// what it accepted is stored whole, byte for byte, or not at all. Its own database keeps the count exact.

const MESSAGES = sized(40, 600);
const MAX_BYTES = 64 * 1024;

let db: FreshDatabase;
let h: Harness;
beforeAll(async () => {
  db = await freshDatabase();
  // No worker: what is stored stays `received`, so the rows are exactly what the listener wrote.
  h = await startHarness({ env: { DATABASE_URL: db.url, CRM_INBOUND_SMTP_PORT: '0', CRM_INBOUND_MAX_BYTES: String(MAX_BYTES) } });
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

const crlf = (lines: string[]) => lines.join('\r\n');
const junk = fc.string({ unit: fc.constantFrom('a', 'Z', '=', '?', '\0', '\u00ff', ';', '"', ':', '-', ' ', '\t', 'ü', '€', '\u202e'), maxLength: 80 });
const header = fc.oneof(
  fc.tuple(fc.constantFrom('Subject', 'From', 'To', 'Content-Type', 'Content-Transfer-Encoding', 'In-Reply-To', 'References', 'X-Junk'), junk).map(([k, v]) => `${k}: ${v}`),
  fc.integer({ min: 2000, max: 20_000 }).map((n) => `X-Huge: ${'h'.repeat(n)}`),
  junk.map((v) => `Subject: =?${v}?B?${Buffer.from(v).toString('base64')}?=`),
  junk.map((v) => `Content-Type: text/plain; charset="${v}"`),
  junk,
);
const body = fc.oneof(
  junk,
  junk.map((b) => crlf(['--' + b, 'Content-Type: text/plain', '', 'part without its end'])),
  fc.constant(crlf(['--x', 'Content-Type: multipart/mixed; boundary="y"', '', '--y', '--x--', '--y'])),
  fc.constant('=E2=82' + '=ZZ'.repeat(50)),
  fc.constant(Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x00]).toString('latin1')),
  fc.integer({ min: 1, max: 300 }).map((n) => 'A'.repeat(n * 1000)),
);
const message = fc.tuple(fc.array(header, { maxLength: 8 }), fc.boolean(), body, fc.uuid()).map(([headers, multipart, text, id]) => crlf([
  `Message-ID: <fuzz-${id}@fuzz.test>`,
  ...(multipart ? ['Content-Type: multipart/mixed; boundary="x"'] : []),
  ...headers, '', text,
]));

describe('malformed mail at the inbound listener', () => {
  it(`answers ${MESSAGES} malformed messages without crashing and stores each accepted one whole`, async () => {
    const port = h.app.inboundSmtp!.port;
    const samples = fc.sample(message, MESSAGES);
    const outcomes = { accepted: 0, refused: 0 };
    const refusals: number[] = [];
    for (const raw of samples) {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
      const bytes = Buffer.from(raw, 'latin1');
      const sent = await transport.sendMail({ envelope: { from: 'fuzz@fuzz.test', to: ['support@crm.test'] }, raw: bytes }).then(() => true, (error: { responseCode?: number }) => {
        // A refusal is an answer (552 too large); anything without an SMTP code would be a dropped connection.
        refusals.push(error.responseCode ?? 0);
        return false;
      });
      transport.close();
      if (!sent) {
        outcomes.refused++;
        continue;
      }
      outcomes.accepted++;
      const { messageId } = await parseMail(bytes, { from: 'fuzz@fuzz.test', to: ['support@crm.test'] });
      const rows = await h.database.sql<{ raw: Buffer; size: number }[]>`select raw, size from inbound_messages where message_id = ${messageId}`;
      expect(rows).toHaveLength(1);
      expect(rows[0]!.size).toBe(rows[0]!.raw.length);
      // SMTP ends every message with a line break: the sender adds one where the message had none.
      const whole = bytes.subarray(-2).toString('latin1') === '\r\n' ? bytes : Buffer.concat([bytes, Buffer.from('\r\n')]);
      expect(rows[0]!.raw.toString('hex')).toBe(whole.toString('hex'));
    }
    const [count] = await h.database.sql<{ n: number }[]>`select count(*)::int as n from inbound_messages`;
    expect(count!.n).toBe(outcomes.accepted);
    expect(outcomes.accepted).toBeGreaterThan(0);
    // The only refusal is the size limit: anything else would mean a message the store could not take.
    expect(new Set(refusals)).toEqual(new Set(refusals.length > 0 ? [552] : []));
    console.log(`[inbound-fuzz] ${JSON.stringify(outcomes)}`);
  }, 600_000);
});
