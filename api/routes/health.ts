import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });

async function probe(check: () => Promise<unknown>): Promise<{ ok: boolean; detail?: string }> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2 s')), 2000))]);
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

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
      probe(() => app.temporal.connection.workflowService.getSystemInfo({})),
      probe(() => app.database.sql`select 1`),
    ]);
    const ok = temporal.ok && database.ok;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', temporal, database } as never);
  });
};
