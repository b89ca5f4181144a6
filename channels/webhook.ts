import { createHmac, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import { isPermanentHttpRefusal } from '../domain/notifications';
import type { SendOutcome } from './email';

// Standard Webhooks (standardwebhooks.com): the secret is `whsec_` + base64 of random bytes; each
// attempt carries webhook-id (the same on every attempt), webhook-timestamp (seconds, this attempt) and
// webhook-signature `v1,<base64 HMAC-SHA256 of "id.timestamp.body" under the decoded secret>`.

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export async function postWebhook(url: string, message: { id: string; secret: string; body: string; timeoutMs: number }): Promise<SendOutcome> {
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', 'user-agent': 'crmflow-webhooks',
        'webhook-id': message.id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(message.secret, message.id, timestamp, message.body),
      },
      body: message.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(message.timeoutMs),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { ok: true, code: response.status };
    return { ok: false, permanent: isPermanentHttpRefusal(response.status), error: `HTTP ${response.status}`, code: response.status };
  } catch (error) {
    return { ok: false, permanent: false, error: (error as Error).message, code: null };
  }
}

/**
 * Why a URL may not receive webhooks, or null: only http(s), and never this API itself (a webhook to
 * our own port would let a subscription call the API with the receiver's reply as a side channel).
 */
export async function webhookUrlRefusal(raw: string, apiPort: number): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry credentials';
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (port !== apiPort) return null;
  const addresses = await lookup(url.hostname.replace(/^\[|\]$/g, ''), { all: true }).catch(() => []);
  const local = new Set(['0.0.0.0', '::', ...Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address))]);
  return addresses.some((a) => local.has(a.address) || a.address.startsWith('127.')) ? `resolves to this API's own port ${apiPort}` : null;
}
