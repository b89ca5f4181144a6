import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Payload } from '@temporalio/common';
import type { Role } from '../../domain/roles';
import { payloadCodec } from '../../temporal/codec';
import { HttpProblem } from '../problem';
import { Obj } from '../schemas/common';

// Temporal's remote codec protocol: payloads as JSON, metadata values and data base64-encoded.
const Base64 = Type.String({ maxLength: 4 * 1024 * 1024, pattern: '^[A-Za-z0-9+/_-]*={0,2}$' });
const JsonPayload = Obj({ metadata: Type.Optional(Type.Record(Type.String({ maxLength: 256 }), Base64)), data: Type.Optional(Base64) });
const Payloads = Obj({ payloads: Type.Array(JsonPayload, { maxItems: 10_000 }) });
type JsonPayloads = { payloads: Array<{ metadata?: Record<string, string>; data?: string }> };

/** Those who may read customer data in workflow histories: people who see everything anyway. */
const READERS: readonly Role[] = ['manager', 'supervisor', 'admin'];

const fromJson = (p: JsonPayloads['payloads'][number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/**
 * The codec endpoint for the Temporal UI and CLI (`--codec-endpoint http://host:3000/codec`): decrypts
 * workflow payloads for managers and encrypts for them, with the usual bearer API key, or (npm start on
 * loopback) for the UI's own origin calling from this machine. The UI calls it from the browser, so its
 * origin (TEMPORAL_UI_URL), and no other, may call across origins.
 */
export const codecRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const codec = payloadCodec(app.config);
  const uiOrigin = new URL(app.config.temporal.uiUrl).origin;

  // onSend, not onRequest: refusals (401/403) must carry the headers too, or the browser hides them.
  app.addHook('onSend', async (request, reply) => {
    if (request.headers.origin !== uiOrigin) return;
    reply.header('access-control-allow-origin', uiOrigin).header('access-control-allow-credentials', 'true').header('vary', 'Origin');
  });
  app.options('/codec/*', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply
    .header('access-control-allow-methods', 'POST, OPTIONS')
    .header('access-control-allow-headers', 'Authorization, Content-Type, X-Namespace')
    .header('access-control-max-age', '600')
    .status(204).send());

  for (const direction of ['encode', 'decode'] as const) {
    app.post(`/codec/${direction}`, {
      config: { roles: READERS, localUi: true },
      schema: { tags: ['codec'], summary: `Temporal remote codec: ${direction} payloads`, body: Payloads, response: { 200: Payloads } },
    }, async (request) => {
      const payloads = (request.body as JsonPayloads).payloads.map(fromJson);
      try {
        return { payloads: (await codec[direction](payloads)).map(toJson) };
      } catch (error) {
        throw new HttpProblem(400, `a payload could not be ${direction}d: ${(error as Error).message}`);
      }
    });
  }
};
