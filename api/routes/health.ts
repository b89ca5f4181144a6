import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });

const PROBE_MS = 2000;

async function probe(check: () => Promise<unknown>): Promise<{ ok: boolean; detail?: string }> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

/** A query left running is harmless: the pool ends it when the app closes. */
const within = (ms: number, work: Promise<unknown>) =>
  Promise.race([work, new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms))]);

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    config: { public: true },
    schema: {
      tags: ['health'],
      security: [],
      response: { 200: Type.Object({ status: Type.Literal('ok'), temporal: Check, database: Check }), 503: Type.Object({ status: Type.Literal('degraded'), temporal: Check, database: Check }) },
    },
  }, async (_request, reply) => {
    const [temporal, database] = await Promise.all([
      // Awaited to its end, never abandoned: the deadline ends the client's own retries too, which would
      // otherwise go on after the app closed and throw on the closed connection.
      probe(() => app.temporal.withDeadline(Date.now() + PROBE_MS, () => app.temporal.connection.workflowService.getSystemInfo({}))),
      probe(() => within(PROBE_MS, app.database.sql`select 1`)),
    ]);
    const ok = temporal.ok && database.ok;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', temporal, database } as never);
  });
};
