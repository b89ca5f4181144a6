import fp from 'fastify-plugin';
import { authenticate } from '../keys';
import { HttpProblem } from '../problem';
import type { Actor, Role } from '../../domain/roles';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles admitted to the route; 'authenticated' admits every signed-in user. */
    roles?: readonly Role[] | 'authenticated';
    /** No authentication at all (health, docs). */
    public?: boolean;
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
}

/**
 * Bearer API-key authentication and per-route role checks. A route that declares neither roles nor
 * `public` is refused at start-up, so no door is left unlocked by omission.
 */
export const authPlugin = fp(async (app) => {
  app.decorateRequest('actor', null as unknown as Actor);

  app.decorate('routeAccess', [] as RouteAccess[]);
  app.addHook('onRoute', (route) => {
    const config = route.config as { roles?: readonly Role[] | 'authenticated'; public?: boolean } | undefined;
    const isDocs = route.url.startsWith('/docs') || route.url === '/openapi.json';
    if (route.method === 'HEAD') return;
    if (!config?.public && !config?.roles && !isDocs) throw new Error(`route ${String(route.method)} ${route.url} declares no roles`);
    app.routeAccess.push({ method: String(route.method), url: route.url, roles: config?.roles ?? 'public' });
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || !config.roles) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const actor = token ? await authenticate(app.db, token) : null;
    if (!actor) throw new HttpProblem(401, token ? 'the API key is unknown or revoked' : 'send Authorization: Bearer <api key>');
    request.actor = actor;
    if (config.roles !== 'authenticated' && !actor.roles.some((role) => (config.roles as readonly Role[]).includes(role))) {
      throw new HttpProblem(403, `this action needs one of the roles: ${config.roles.join(', ')}`, { requiredRoles: config.roles });
    }
  });
}, { name: 'auth', dependencies: ['services'] });
