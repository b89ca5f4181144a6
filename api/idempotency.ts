import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { completeKey, findKey, reserveKey, underKeyLock } from '../db/idempotency';
import { HttpProblem } from './problem';
import { toProblem } from './plugins/errors';

export interface Outcome<T> {
  status: number;
  body: T;
}

interface Options<T> {
  scope: string; // e.g. 'POST /tickets'
  allocateId: () => Promise<string>;
  run: (resourceId: string) => Promise<Outcome<T>>;
}

const KEY = /^[\x21-\x7e]{1,255}$/;
const WAIT_FOR_PEER_MS = 15_000;

/**
 * JSON text with every object's keys sorted (arrays keep their order), so one request body is one text
 * however a client happens to order its keys.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The hash keys stored before canonical JSON carry (the body's text as parsed); a retry of such a request still matches. */
function legacyRequestHash(scope: string, body: unknown): string {
  return createHash('sha256').update(scope).update('\0').update(JSON.stringify(body ?? null)).digest('hex');
}

/** What makes two requests under one Idempotency-Key the same request: the route and the body's content. */
export function requestHash(scope: string, body: unknown): string {
  return createHash('sha256').update(scope).update('\0').update(canonicalJson(body)).digest('hex');
}

/**
 * Runs a creating request at most once per (user, Idempotency-Key).
 *
 * The first request holds a session advisory lock for the key while it works; peers wait for it and
 * then return its stored response. The resource id is committed before the work starts, so a retry
 * after a crash reaches the same resource and the same workflow id instead of creating a second one.
 * A reused key with a different body is refused with 422.
 */
export async function idempotent<T>(request: FastifyRequest, reply: FastifyReply, options: Options<T>): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) {
    const outcome = await options.run(await options.allocateId());
    return reply.status(outcome.status).send(outcome.body);
  }
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new HttpProblem(400, 'Idempotency-Key must be 1–255 printable ASCII characters', { errors: [{ path: '/headers/idempotency-key', message: 'invalid' }] });
  }
  const outcome = await once(request, key, options);
  return reply.status(outcome.status).type(outcome.status >= 400 ? 'application/problem+json' : 'application/json').send(outcome.body);
}

async function once<T>(request: FastifyRequest, key: string, options: Options<T>): Promise<Outcome<unknown>> {
  const userId = request.actor.id;
  const hash = requestHash(options.scope, request.body);
  const legacyHash = legacyRequestHash(options.scope, request.body);
  const lockKey = `${userId}:${key}`; // user ids contain no colon, so this is unambiguous
  const deadline = Date.now() + WAIT_FOR_PEER_MS;
  for (;;) {
    const attempt = await underKeyLock(request.server.database.sql, lockKey, (connection) => underLock(connection, userId, key, [hash, legacyHash], options));
    if (attempt.locked) return attempt.value;
    if (Date.now() > deadline) throw new HttpProblem(409, 'a request with this Idempotency-Key is still being processed; retry shortly');
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
  }
}

async function underLock<T>(connection: postgres.Sql, userId: string, key: string, [hash, legacyHash]: [string, string], options: Options<T>): Promise<Outcome<unknown>> {
  const existing = await findKey(connection, userId, key);
  if (existing && (existing.scope !== options.scope || (existing.requestHash !== hash && existing.requestHash !== legacyHash))) {
    throw new HttpProblem(422, 'this Idempotency-Key was already used with a different request', {}, 'idempotency-key-reused');
  }
  if (existing?.statusCode) return { status: existing.statusCode, body: existing.response };

  let resourceId = existing?.resourceId ?? null;
  if (!resourceId) {
    resourceId = await options.allocateId();
    await reserveKey(connection, { userId, key, scope: options.scope, requestHash: hash, resourceId });
  }
  let outcome: Outcome<unknown>;
  try {
    outcome = await options.run(resourceId);
  } catch (error) {
    const problem = toProblem(error);
    // A refusal is the answer to this request and is replayed; a server fault is left open for a retry.
    if (problem.status >= 500) throw error;
    outcome = { status: problem.status, body: problem };
  }
  await completeKey(connection, userId, key, outcome);
  return outcome;
}
