/**
 * The API as one Fastify plugin tree: external plugins, then our shared services and auth, then routes.
 * `server.ts` only boots and stops it; tests build it with their own services.
 */
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import auth from './plugins/auth.ts';
import errorHandler from './plugins/error-handler.ts';
import servicesPlugin from './plugins/services.ts';
import healthRoutes from './routes/health.ts';
import accountRoutes from './routes/account.ts';
import courseRuleRoutes from './routes/course-rules.ts';
import dashboardRoutes from './routes/dashboard.ts';
import memberRoutes from './routes/members.ts';
import sessionRoutes from './routes/session.ts';
import webApp from './plugins/web-app.ts';
import liveRoutes from './routes/live.ts';
import submissionRoutes from './routes/submissions.ts';
import taskRoutes from './routes/tasks.ts';
import { Problem } from './schemas/common.ts';
import type { Services } from './services.ts';

export async function buildApp(services: Services, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    ...options,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  app.addSchema(Problem);
  await app.register(errorHandler);
  await app.register(swagger, {
    // Name shared schemas by their $id ("Problem") rather than def-N, for readable generated clients.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json.$id === 'string' ? json.$id : `def-${index}`,
    },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'mljudge API',
        version: '1.0.0',
        description:
          'Autograder and leaderboard for machine-learning homework. Errors are RFC 9457 problem documents (application/problem+json) with a stable `code`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'an API token' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'mljudge_session',
            description:
              "the web app's sign-in (POST /v1/sessions); requests that change something also send X-Requested-With",
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(multipart, {
    limits: { fileSize: services.config.api.maxUploadBytes, files: 4, fields: 10, fieldSize: 16 * 1024, parts: 16 },
  });
  await app.register(servicesPlugin, { services });
  await app.register(cookie);
  await app.register(auth);
  await app.register(healthRoutes);
  await app.register(taskRoutes);
  await app.register(submissionRoutes);
  await app.register(courseRuleRoutes);
  await app.register(accountRoutes);
  await app.register(liveRoutes);
  await app.register(sessionRoutes);
  await app.register(memberRoutes);
  await app.register(dashboardRoutes);
  // Last: the web app answers the GETs no API route took.
  await app.register(webApp);
  return app;
}
