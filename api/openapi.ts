import type { RouteAccess } from './plugins/auth';
import { Problem } from './schemas/common';
import { ROLES } from '../domain/roles';

// What every route of the OpenAPI document says besides its own schemas: who may call it, and the
// refusals it can answer with (all problem+json, SPEC §2). Added here, once, from the route table the
// auth plugin keeps, so no route can forget them.


/** The refusals of every authenticated route, with what each means here. */
export const ERROR_RESPONSES: Record<string, string> = {
  400: 'the request is invalid: malformed JSON, or a body, query or path parameter its schema refuses (errors[] names each)',
  401: 'no API key, or one that is unknown or revoked',
  403: "the caller's roles do not admit this route, or a field, tier or four-eyes rule forbids the action",
  404: 'the resource, or one the request names, does not exist',
  409: 'the action is not allowed in the current state (the body names state and allowedActions), or the same Idempotency-Key is still being processed',
  422: 'a business rule refused it (credit limit, contract exhausted, unknown customer or product, Idempotency-Key reused with another body)',
  429: 'too many requests for this API key; retry later',
};
const BODY_TOO_LARGE = { 413: 'the body is larger than the configured limit' };
/** Routes without authentication (health) can still be rate-limited or sent nonsense. */
const PUBLIC_ERRORS = { 400: ERROR_RESPONSES[400]!, 429: ERROR_RESPONSES[429]! };

type Operation = { description?: string; summary?: string; requestBody?: unknown; responses?: Record<string, unknown>; 'x-roles'?: readonly string[] };
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

/**
 * The component name of the Problem schema: the one the app registered (app.addSchema, which the document
 * lists under a generated name with the title Problem), or one added here.
 */
function problemComponent(document: OpenApiDocument): string {
  const schemas = document.components?.schemas ?? {};
  const registered = Object.entries(schemas).find(([, schema]) => (schema as { title?: string }).title === 'Problem')?.[0];
  if (registered) return registered;
  const { $id: _id, ...problem } = Problem as unknown as Record<string, unknown>;
  document.components = { ...document.components, schemas: { ...schemas, Problem: { ...problem, title: 'Problem' } } };
  return 'Problem';
}

/** /api/v1/tickets/{id} → /api/v1/tickets/:id, the router's spelling. */
const routerUrl = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Adds each operation's roles (`x-roles` and a line of its description) and its problem+json error responses. */
export function documentRoutes<T extends OpenApiDocument>(document: T, routes: readonly RouteAccess[]): T {
  const schema = { $ref: `#/components/schemas/${problemComponent(document)}` };
  const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema } } });
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const access = routes.find((r) => r.method === method.toUpperCase() && r.url === routerUrl(path));
      if (!access) continue;
      const roles = access.roles === 'public' ? [] : access.roles === 'authenticated' ? ROLES : access.roles;
      const who = access.roles === 'public' ? 'no authentication' : access.roles === 'authenticated' ? 'any signed-in user' : access.roles.join(', ');
      operation['x-roles'] = roles;
      operation.description = [operation.description, `Roles: ${who}.`].filter(Boolean).join('\n\n');
      const errors = { ...(access.roles === 'public' ? PUBLIC_ERRORS : ERROR_RESPONSES), ...(operation.requestBody ? BODY_TOO_LARGE : {}) };
      operation.responses = {
        ...operation.responses,
        ...Object.fromEntries(Object.entries(errors).filter(([status]) => !operation.responses?.[status]).map(([status, text]) => [status, problemResponse(text)])),
      };
    }
  }
  return document;
}
