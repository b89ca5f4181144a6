import { status as grpcStatus } from '@grpc/grpc-js';
import {
  isGrpcServiceError, ServiceError, WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { FailureType } from '../../domain/failures';
import { HttpProblem, problemBody, type ProblemBody } from '../problem';
import { NOT_BLANK } from '../schemas/common';

const STATUS_BY_FAILURE: Record<string, number> = {
  [FailureType.InvalidState]: 409,
  [FailureType.BusinessRule]: 422,
  [FailureType.NotFound]: 404,
  [FailureType.Forbidden]: 403,
};

function applicationFailureOf(error: unknown): ApplicationFailure | null {
  let cause: unknown = error;
  for (let depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof ApplicationFailure && cause.type && cause.type in STATUS_BY_FAILURE) return cause;
    cause = (cause as { cause?: unknown }).cause;
  }
  return null;
}

/** How each part of a request is named in a sentence ("the headers are invalid"). */
const PART_NAMES: Record<string, string> = {
  body: 'the body is', querystring: 'the query string is', params: 'the path parameters are', headers: 'the headers are',
};

type Issue = NonNullable<FastifyError['validation']>[number];

/**
 * A value outside a union of words fails every member: ajv reports one "must be equal to constant" per
 * word (and "must be null" for a nullable one) and then "must match a schema in anyOf". People need one
 * sentence naming the words, so the issues at such a path are folded into it.
 */
function foldUnions(issues: readonly Issue[]): Issue[] {
  const words = new Map<string, string[]>();
  for (const issue of issues) {
    if (issue.keyword !== 'const') continue;
    words.set(issue.instancePath, [...(words.get(issue.instancePath) ?? []), String((issue.params as { allowedValue?: unknown }).allowedValue)]);
  }
  const folded = new Set<string>();
  const out: Issue[] = [];
  for (const issue of issues) {
    const allowed = words.get(issue.instancePath);
    if (!allowed) { out.push(issue); continue; }
    if (folded.has(issue.instancePath) || !['const', 'anyOf', 'type'].includes(issue.keyword)) continue;
    const nullable = issues.some((i) => i.instancePath === issue.instancePath && i.keyword === 'type' && (i.params as { type?: string }).type === 'null');
    folded.add(issue.instancePath);
    out.push({ ...issue, keyword: 'enum', message: `must be one of ${allowed.join(', ')}${nullable ? ', or null' : ''}` });
  }
  return out;
}

/** Ajv's sentence, except where it would quote a pattern that people cannot read. */
function messageOf(issue: Issue): string {
  if (issue.keyword === 'pattern' && (issue.params as { pattern?: string }).pattern === NOT_BLANK) return 'must not be empty or only white space';
  return issue.message ?? 'is invalid';
}

function validationProblem(error: FastifyError): ProblemBody {
  const errors = foldUnions(error.validation ?? []).map((issue) => {
    const missing = (issue.params as { missingProperty?: string }).missingProperty;
    const extra = (issue.params as { additionalProperty?: string }).additionalProperty;
    const base = `${error.validationContext === 'body' ? '' : `/${error.validationContext}`}${issue.instancePath}`;
    if (missing) return { path: `${base}/${missing}`, message: 'is required' };
    if (extra) return { path: `${base}/${extra}`, message: 'is not a known property' };
    return { path: base || '/', message: messageOf(issue) };
  });
  return problemBody(400, `${PART_NAMES[error.validationContext ?? ''] ?? 'the request is'} invalid`, { errors }, 'validation');
}

/** Seconds a caller should wait before retrying a 503 or 504 (the Retry-After header). */
export const RETRY_AFTER_SECONDS = { 503: 5, 504: 1 } as const;

const UNAVAILABLE = new Set<number>([grpcStatus.UNAVAILABLE, grpcStatus.RESOURCE_EXHAUSTED]);
const TIMED_OUT = new Set<number>([grpcStatus.DEADLINE_EXCEEDED, grpcStatus.CANCELLED]);

/** The gRPC status of a failed Temporal call, wherever the client wrapped it. */
function grpcCodeOf(error: unknown): number | null {
  let cause: unknown = error;
  for (let depth = 0; cause && depth < 5; depth++) {
    if (isGrpcServiceError(cause)) return cause.code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return null;
}

/** A call to the engine ran out of time (the update wait, or a plain RPC deadline). */
export function engineTimedOut(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = grpcCodeOf(error);
  return code !== null && TIMED_OUT.has(code) && error instanceof ServiceError;
}

export const engineUnavailable = () =>
  new HttpProblem(503, 'the workflow engine is unavailable; retry shortly', { retryAfterSeconds: RETRY_AFTER_SECONDS[503] }, 'engine-unavailable');

/**
 * The engine did not answer: unreachable or overloaded (503), or not within the update wait (504). Both
 * carry Retry-After; neither is the caller's fault, and neither is a 500.
 */
function engineProblem(error: unknown): ProblemBody | null {
  if (engineTimedOut(error)) {
    return problemBody(504, 'the process did not answer in time; the outcome is unknown: check its state, or retry (a create with the same Idempotency-Key is safe)',
      { retryAfterSeconds: RETRY_AFTER_SECONDS[504] }, 'engine-timeout');
  }
  const code = grpcCodeOf(error);
  if (code !== null && UNAVAILABLE.has(code)) return engineUnavailable().toBody();
  return null;
}

/** The longest path segment (an id) the router accepts; a longer one is answered 414. */
export const MAX_PARAM_LENGTH = 100;

/** 262144 → "256 KiB": a limit as people read it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * Refusals of the HTTP layer, in words that name the limit and never echo the caller's input back (an
 * over-long or malformed URL is not repeated in the answer, nor in anything that shows it).
 */
function frameworkProblem(error: FastifyError, context: ProblemContext): ProblemBody | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problemBody(413, context.bodyLimit ? `the body is larger than ${formatBytes(context.bodyLimit)}` : 'the body is too large');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problemBody(414, `the URL is too long: a path segment may have at most ${MAX_PARAM_LENGTH} characters`);
    case 'FST_ERR_BAD_URL':
      return problemBody(400, 'the URL is malformed: a path segment is not valid percent-encoding');
    default:
      return null;
  }
}

export interface ProblemContext {
  /** The body limit of the route that refused (413 names it). */
  bodyLimit?: number;
}

/** Maps every error to RFC 9457 problem+json: validation, domain refusals, Temporal failures. */
export function toProblem(error: unknown, context: ProblemContext = {}): ProblemBody {
  if (error instanceof HttpProblem) return error.toBody();
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return validationProblem(fastifyError);
  const framework = frameworkProblem(fastifyError, context);
  if (framework) return framework;
  const failure = applicationFailureOf(error);
  if (failure) {
    const details = (failure.details?.[0] ?? {}) as Record<string, unknown>;
    return problemBody(STATUS_BY_FAILURE[failure.type!]!, failure.message, details);
  }
  if (error instanceof WorkflowNotFoundError) return problemBody(404, 'the process does not exist or has finished');
  const engine = engineProblem(error);
  if (engine) return engine;
  if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowFailedError) {
    return problemBody(409, error.cause?.message ?? error.message);
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) return problemBody(status, fastifyError.message);
  return problemBody(500, 'an unexpected error occurred; it has been logged');
}

export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler(async (error, request, reply) => {
    const body = toProblem(error, { bodyLimit: request.routeOptions.bodyLimit ?? app.config.api.bodyLimit });
    if (body.status === 500) request.log.error({ err: error }, 'request failed');
    else if (body.status >= 500) request.log.warn({ err: error }, 'the workflow engine did not answer');
    if (typeof body.retryAfterSeconds === 'number') void reply.header('retry-after', String(body.retryAfterSeconds));
    return reply.status(body.status).type('application/problem+json').send(body);
  });
  app.setNotFoundHandler(async (request, reply) => {
    return reply.status(404).type('application/problem+json').send(problemBody(404, `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}, { name: 'errors' });
