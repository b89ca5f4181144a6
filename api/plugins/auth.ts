import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isLoopback } from '../../config';
import { loadSettings } from '../../db/settings';
import { fieldRefusals, needsSettings, normaliseFieldRule, type FieldRule, type FieldRules } from '../../domain/field-access';
import type { Actor, Role } from '../../domain/roles';
import { authenticate } from '../keys';
import { HttpProblem } from '../problem';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles admitted to the route; 'authenticated' admits every signed-in user. */
    roles?: readonly Role[] | 'authenticated';
    /** No authentication at all (health, docs). */
    public?: boolean;
    /** The Temporal UI's own origin, calling from this machine, may use it without a key (the codec under npm start). */
    localUi?: boolean;
    /**
     * Who may set which field of the body (domain/field-access.ts); a field not named here is open to
     * every role the route admits. Checked before the body's schema, so nothing is written on refusal.
     */
    fields?: FieldRules;
  }
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyInstance {
    /** Every route and whom it admits: the source of the authorisation matrix test. */
    routeAccess: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  roles: readonly Role[] | 'authenticated' | 'public';
  /** Each top-level field of the body and who may set it (the route's roles unless declared otherwise). */
  fields?: Record<string, FieldRule>;
}

/** The body's top-level fields with their rules; a declared field the body does not have is a typo, refused at start-up. */
function fieldTable(route: { method: unknown; url: string; schema?: { body?: unknown } }, roles: readonly Role[] | 'authenticated', declared: FieldRules | undefined) {
  const body = route.schema?.body as { properties?: Record<string, unknown> } | undefined;
  const names = body?.properties ? Object.keys(body.properties) : Object.keys(declared ?? {});
  if (names.length === 0) return undefined;
  for (const field of Object.keys(declared ?? {})) {
    if (!names.includes(field)) throw new Error(`route ${String(route.method)} ${route.url} declares a rule for ${field}, which its body does not have`);
  }
  const open: FieldRule = { roles: roles === 'authenticated' ? [] : roles };
  return Object.fromEntries(names.map((name) => [name, declared?.[name] ? normaliseFieldRule(declared[name]) : open]));
}

/** The Temporal UI served beside the API on this machine (npm start), reading as a manager would. */
const LOCAL_UI: Actor = { id: 'temporal-ui', name: 'Temporal UI on this machine', roles: ['manager'] };

/**
 * A browser on this machine showing the configured UI: its Origin (which a page of any other origin
 * cannot set) is the UI's, the call comes over loopback, and the API itself listens only on loopback.
 */
function isLocalUi(request: FastifyRequest): boolean {
  const { config } = request.server;
  return config.temporal.codecTrustsLocalUi && isLoopback(config.api.host) && isLoopback(request.ip.replace(/^::ffff:/, ''))
    && request.headers.origin === new URL(config.temporal.uiUrl).origin;
}

/**
 * Bearer API-key authentication and per-route role checks. A route that declares neither roles nor
 * `public` is refused at start-up, so no door is left unlocked by omission.
 */
export const authPlugin = fp(async (app) => {
  app.decorateRequest('actor', null as unknown as Actor);

  app.decorate('routeAccess', [] as RouteAccess[]);
  app.addHook('onRoute', (route) => {
    const config = route.config as { roles?: readonly Role[] | 'authenticated'; public?: boolean; fields?: FieldRules } | undefined;
    const isDocs = route.url.startsWith('/docs') || route.url === '/openapi.json';
    if (route.method === 'HEAD') return;
    if (!config?.public && !config?.roles && !isDocs) throw new Error(`route ${String(route.method)} ${route.url} declares no roles`);
    const fields = config?.roles ? fieldTable(route, config.roles, config.fields) : undefined;
    app.routeAccess.push({ method: String(route.method), url: route.url, roles: config?.roles ?? 'public', ...(fields ? { fields } : {}) });
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || !config.roles) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const actor = token ? await authenticate(app.db, token) : config.localUi && isLocalUi(request) ? LOCAL_UI : null;
    if (!actor) throw new HttpProblem(401, token ? 'the API key is unknown or revoked' : 'send Authorization: Bearer <api key>');
    request.actor = actor;
    if (config.roles !== 'authenticated' && !actor.roles.some((role) => (config.roles as readonly Role[]).includes(role))) {
      throw new HttpProblem(403, `this action needs one of the roles: ${config.roles.join(', ')}`, { requiredRoles: config.roles });
    }
  });

  // Field rules, before the body's schema: a caller learns what they may not set whatever else is wrong.
  app.addHook('preValidation', async (request) => {
    const rules = request.routeOptions.config.fields;
    if (!rules || !request.actor) return;
    const settings = needsSettings(rules) ? await loadSettings(app.db) : undefined;
    const refused = fieldRefusals(rules, request.body, request.actor, settings);
    if (refused.length > 0) {
      throw new HttpProblem(403, `you may not set ${refused.map((r) => r.path.slice(1)).join(', ')}: ${refused.map((r) => r.message).join('; ')}; nothing was changed`, { errors: refused }, 'field-forbidden');
    }
  });
}, { name: 'auth', dependencies: ['services'] });
