import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { documentRoutes, type OpenApiDocument } from './openapi';
import { authPlugin } from './plugins/auth';
import { inboundPlugin } from './plugins/inbound';
import { errorsPlugin, MAX_PARAM_LENGTH, toProblem } from './plugins/errors';
import { servicesPlugin, type AppServices } from './plugins/services';
import { auditRoutes } from './routes/audit';
import { calendarRoutes } from './routes/calendars';
import { consoleRoutes } from './routes/console';
import { codecRoutes } from './routes/codec';
import { customerRoutes } from './routes/customers';
import { articleRoutes } from './routes/articles';
import { attachmentRoutes } from './routes/attachments';
import { healthRoutes } from './routes/health';
import { inboundRoutes } from './routes/inbound';
import { mailRoutes } from './routes/mail';
import { notificationRoutes } from './routes/notifications';
import { orderRoutes } from './routes/orders';
import { contractRoutes } from './routes/contracts';
import { invoiceRoutes } from './routes/invoices';
import { paymentRoutes } from './routes/payments';
import { portalRoutes } from './routes/portal';
import { productRoutes } from './routes/products';
import { reportRoutes } from './routes/reports';
import { returnRoutes } from './routes/returns';
import { settingsRoutes } from './routes/settings';
import { taskRoutes } from './routes/tasks';
import { ticketRoutes } from './routes/tickets';
import { incidentRoutes } from './routes/incidents';
import { entitlementRoutes } from './routes/entitlement';
import { userRoutes } from './routes/users';
import { webhookRoutes } from './routes/webhooks';
import { Problem } from './schemas/common';
import { validatorCompiler } from './validation';

export type App = FastifyInstance;

const DOCS_CSP = [
  "default-src 'self'", "base-uri 'self'", "connect-src 'self'", "font-src 'self' data:", "form-action 'self'", "frame-ancestors 'self'",
  "img-src 'self' data:", "object-src 'none'", "script-src 'self'", "script-src-attr 'none'", "style-src 'self' 'unsafe-inline'",
  'upgrade-insecure-requests',
].join('; ');

export interface BuildAppOptions extends AppServices {
  /** true: log at the configured level; a pino options object (tests pass a stream); default: silent. */
  logger?: boolean | { level?: string; stream?: NodeJS.WritableStream };
}

export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { config } = options;
  const app = Fastify({
    // Keys never reach the logs, whatever a serializer or a future log line includes.
    logger: options.logger ? { level: config.api.logLevel, ...(options.logger === true ? {} : options.logger), redact: ['req.headers.authorization', 'headers.authorization'] } : false,
    bodyLimit: config.api.bodyLimit,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    requestTimeout: config.api.requestTimeoutMs,
    // What the router refuses before any route runs (a malformed URL, an over-long id) is a problem like the rest.
    frameworkErrors: (error, _request, reply) => {
      const body = toProblem(error, { bodyLimit: config.api.bodyLimit });
      void (reply as FastifyReply).status(body.status).type('application/problem+json').send(body);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Unknown properties are refused, not silently dropped (SPEC §2); see validation.ts for coercion.
  app.setValidatorCompiler(validatorCompiler);
  app.addSchema(Problem);
  await app.register(servicesPlugin, options);
  await app.register(errorsPlugin);
  await app.register(authPlugin);
  await app.register(inboundPlugin);
  await app.register(helmet);
  await app.register(rateLimit, {
    max: config.api.rateLimitPerMinute,
    timeWindow: 60_000,
    // Per API key (its public key id), so one noisy integration cannot starve everyone behind the same NAT.
    keyGenerator: (request) => /^Bearer crm_(k[0-9a-f]{16})_/.exec(request.headers.authorization ?? '')?.[1] ?? request.ip,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'crmflow API', version: '1', description: 'Complaint tickets, orders and contracts as durable Temporal workflows.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key: crm_k…' } } },
      security: [{ apiKey: [] }],
    },
    // Each operation's roles and problem+json refusals, from the route table (api/openapi.ts).
    transformObject: (document) => documentRoutes((document as { openapiObject: unknown }).openapiObject as OpenApiDocument, app.routeAccess) as never,
  });
  // The docs' own policy, set on /docs only (swagger-ui scopes its header to its routes; helmet's stays on
  // every other route): helmet's defaults, except that Swagger UI applies inline styles as it renders, so
  // styles (never scripts) may be inline here. test/e2e/console.test.ts loads /docs in Chromium and
  // fails on any Content-Security-Policy report.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes);
  await app.register(consoleRoutes);
  await app.register(codecRoutes);
  await app.register(portalRoutes);
  await app.register(async (api) => {
    await api.register(userRoutes);
    await api.register(auditRoutes);
    await api.register(settingsRoutes);
    await api.register(customerRoutes);
    await api.register(productRoutes);
    await api.register(calendarRoutes);
    await api.register(ticketRoutes);
    await api.register(incidentRoutes);
    await api.register(entitlementRoutes);
    await api.register(articleRoutes);
    await api.register(orderRoutes);
    await api.register(returnRoutes);
    await api.register(contractRoutes);
    await api.register(invoiceRoutes);
    await api.register(paymentRoutes);
    await api.register(reportRoutes);
    await api.register(taskRoutes);
    await api.register(notificationRoutes);
    await api.register(webhookRoutes);
    await api.register(mailRoutes);
    await api.register(inboundRoutes);
    await api.register(attachmentRoutes);
  }, { prefix: '/api/v1' });
  return app;
}
