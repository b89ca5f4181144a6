import { DefaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config';
import { publicText } from '../../domain/public-text';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../temporal/codec';

const key = (fill: number) => ({ id: `k${fill}`, key: Buffer.alloc(32, fill) });
const converter = new DefaultPayloadConverter();
const text = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString('utf8');

describe('the payload codec', () => {
  it('round-trips any JSON value and never shows it in the ciphertext', async () => {
    const codec = new AesGcmPayloadCodec([key(1)], 'k1');
    await fc.assert(fc.asyncProperty(fc.jsonValue(), fc.string({ minLength: 8 }), async (value, secret) => {
      const payload = converter.toPayload({ value, secret });
      const [sealed] = await codec.encode([payload]);
      expect(text(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(Buffer.from(sealed!.data!).includes(Buffer.from(JSON.stringify(secret)))).toBe(false);
      const [opened] = await codec.decode([sealed!]);
      expect(converter.fromPayload(opened!)).toEqual(converter.fromPayload(payload));
    }), { numRuns: 200 });
  });

  it('decrypts with every configured key and encrypts with the current one (rotation)', async () => {
    const before = new AesGcmPayloadCodec([key(1)], 'k1');
    const after = new AesGcmPayloadCodec([key(1), key(2)], 'k2');
    const [old] = await before.encode([converter.toPayload('written before the rotation')]);
    expect(converter.fromPayload((await after.decode([old!]))[0]!)).toBe('written before the rotation');
    const [fresh] = await after.encode([converter.toPayload('after')]);
    expect(text(fresh!.metadata!['encryption-key-id'])).toBe('k2');
    await expect(before.decode([fresh!])).rejects.toThrow(/key "k2", which is not configured/);
  });

  it('passes unencrypted payloads through, so histories from before encryption still replay', async () => {
    const plain = converter.toPayload({ subject: 'legacy' });
    expect(await new AesGcmPayloadCodec([key(1)], 'k1').decode([plain])).toEqual([plain]);
  });

  it('leaves text marked public readable, hands it back unmarked, and encrypts everything else', async () => {
    const codec = new AesGcmPayloadCodec([key(1)], 'k1');
    const summary = 'Ticket T-2026-000001 · VIP · urgent · fault';
    const [marked] = await codec.encode([converter.toPayload(publicText(summary))]);
    expect(text(marked!.data)).toContain(summary);
    expect(converter.fromPayload((await codec.decode([marked!]))[0]!)).toBe(summary);
    for (const value of [summary, `x${publicText(summary)}`, { summary: publicText(summary) }]) {
      const [sealed] = await codec.encode([converter.toPayload(value)]);
      expect(text(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    }
  });

  it('refuses a tampered payload', async () => {
    const codec = new AesGcmPayloadCodec([key(1)], 'k1');
    const [sealed] = await codec.encode([converter.toPayload('amount 100.00')]);
    const data = Buffer.from(sealed!.data!);
    data[20]! ^= 1;
    await expect(codec.decode([{ ...sealed!, data }])).rejects.toThrow();
  });
});

describe('payload key configuration', () => {
  const b64 = (fill: number) => Buffer.alloc(32, fill).toString('base64');

  it('reads keys and the current key id', () => {
    const { temporal } = loadConfig({ CRM_PAYLOAD_KEYS: `a:${b64(1)}, b:${b64(2)}`, CRM_PAYLOAD_KEY_ID: 'b' });
    expect(temporal.payloadKeys.map((k) => k.id)).toEqual(['a', 'b']);
    expect(temporal.payloadKeyId).toBe('b');
    expect(loadConfig({ CRM_PAYLOAD_KEYS: `only:${b64(1)}` }).temporal.payloadKeyId).toBe('only');
  });

  it.each([
    [{ CRM_PAYLOAD_KEYS: `a:${Buffer.alloc(16).toString('base64')}` }, /32 bytes/],
    [{ CRM_PAYLOAD_KEYS: b64(1) }, /<id>:<base64 key>/],
    [{ CRM_PAYLOAD_KEYS: `a:${b64(1)},b:${b64(2)}` }, /must name the current key/],
    [{ CRM_PAYLOAD_KEYS: `a:${b64(1)}`, CRM_PAYLOAD_KEY_ID: 'z' }, /not one of the keys/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
