import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { authPlugin } from './plugins/auth';
import { errorsPlugin } from './plugins/errors';
import { servicesPlugin, type AppServices } from './plugins/services';
import { calendarRoutes } from './routes/calendars';
import { contractRoutes } from './routes/contracts';
import { customerRoutes } from './routes/customers';
import { healthRoutes } from './routes/health';
import { invoiceRoutes } from './routes/invoices';
import { paymentRoutes } from './routes/payments';
import { productRoutes } from './routes/products';
import { settingsRoutes } from './routes/settings';
import { ticketRoutes } from './routes/tickets';
import { userRoutes } from './routes/users';
import { Problem } from './schemas/common';
import { validatorCompiler } from './validation';

export type App = FastifyInstance;

export interface BuildAppOptions extends AppServices {
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.api.bodyLimit,
    requestTimeout: config.api.requestTimeoutMs,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Unknown properties are refused, not silently dropped (SPEC §2); see validation.ts for coercion.
  app.setValidatorCompiler(validatorCompiler);
  app.addSchema(Problem);
  await app.register(servicesPlugin, options);
  await app.register(errorsPlugin);
  await app.register(authPlugin);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'crmflow API', version: '1', description: 'Complaint tickets, orders and contracts as durable Temporal workflows.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key: crm_k…' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes);
  await app.register(async (api) => {
    await api.register(userRoutes);
    await api.register(settingsRoutes);
    await api.register(customerRoutes);
    await api.register(productRoutes);
    await api.register(calendarRoutes);
    await api.register(ticketRoutes);
    await api.register(contractRoutes);
    await api.register(invoiceRoutes);
    await api.register(paymentRoutes);
  }, { prefix: '/api/v1' });
  return app;
}
