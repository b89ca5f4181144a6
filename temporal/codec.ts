import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Config, PayloadKey } from '../config';
import { PUBLIC_MARK } from '../domain/public-text';

/**
 * Encrypts every workflow payload (inputs, results, update and signal arguments, activity arguments,
 * query answers) with AES-256-GCM before it leaves the process, so the Temporal server and
 * its database only ever hold ciphertext of customer data. The whole original payload, metadata
 * included, is encrypted; the envelope names the key, so keys can be rotated: new payloads use the
 * current key, old ones decrypt with whichever configured key they name. Summaries marked public
 * (domain/public-text.ts) stay readable for the Temporal UI.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);
// The default import: @temporalio/proto is CommonJS, whose named exports plain Node ESM cannot see.
const PayloadProto = proto.temporal.api.common.v1.Payload;

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly current: PayloadKey;

  constructor(keys: PayloadKey[], currentKeyId: string) {
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
    const current = this.keys.get(currentKeyId);
    if (!current) throw new Error(`payload key ${currentKeyId} is not configured`);
    this.current = { id: currentKeyId, key: current };
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (isPublic(payload)) return payload;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const sealed = Buffer.concat([iv, cipher.update(PayloadProto.encode(payload).finish()), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID]: utf8(this.current.id) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Public text loses its mark on the way in, so code sees the text as written.
      if (isPublic(payload)) return { ...payload, data: unmarked(payload.data!) };
      // Histories written before encryption was switched on pass through unchanged.
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID]) ?? '';
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`payload encrypted with key "${keyId}", which is not configured (CRM_PAYLOAD_KEYS)`);
      const sealed = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      return PayloadProto.decode(plain) as Payload;
    });
  }
}

const PUBLIC_JSON_PREFIX = utf8(JSON.stringify(PUBLIC_MARK));

/** A JSON string that starts with the public mark: a summary built without customer data. */
function isPublic(payload: Payload): boolean {
  const data = payload.data;
  if (text(payload.metadata?.encoding) !== 'json/plain' || !data || data.length < PUBLIC_JSON_PREFIX.length - 1) return false;
  // The prefix without its closing quote: `"` followed by the mark's UTF-8 bytes.
  return PUBLIC_JSON_PREFIX.subarray(0, -1).every((byte, i) => data[i] === byte);
}

function unmarked(data: Uint8Array): Uint8Array {
  const markLength = PUBLIC_JSON_PREFIX.length - 2; // the mark's bytes between the two quotes
  return Uint8Array.from([data[0]!, ...data.subarray(1 + markLength)]);
}

/** The codec for the configured keys; every Client, Worker and replay in the system uses it. */
export function payloadCodec(config: Config): AesGcmPayloadCodec {
  const { payloadKeys, payloadKeyId } = config.temporal;
  if (!payloadKeyId) throw new Error('no payload encryption key: set CRM_PAYLOAD_KEYS (npm start generates one under CRM_DATA_DIR)');
  return new AesGcmPayloadCodec(payloadKeys, payloadKeyId);
}

export function dataConverter(config: Config): DataConverter {
  return { payloadCodecs: [payloadCodec(config)] };
}
