/**
 * The API as one Fastify plugin tree: external plugins, then our shared services, authentication and
 * load shedding, then one plugin per resource. `server.ts` only boots and stops it; tests build it with
 * their own services.
 */
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Ajv } from 'ajv';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import apiHeaders from './plugins/api-headers.ts';
import auth from './plugins/auth.ts';
import errorHandler, { clientErrorHandler } from './plugins/error-handler.ts';
import loadShedding from './plugins/load-shedding.ts';
import servicesPlugin from './plugins/services.ts';
import webApp from './plugins/web-app.ts';
import accountRoutes from './routes/account/index.ts';
import courseRoutes from './routes/courses/index.ts';
import downloadRoutes from './routes/health/downloads.ts';
import healthRoutes from './routes/health/index.ts';
import liveRoutes from './routes/live/index.ts';
import memberRoutes from './routes/members/index.ts';
import submissionRoutes from './routes/submissions/index.ts';
import taskRoutes from './routes/tasks/index.ts';
import { isPlainText, PLAIN_TEXT_FORMAT, Problem } from './schemas/common.ts';
import type { Services } from './services.ts';

export async function buildApp(services: Services, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    trustProxy: services.config.api.trustProxy,
    clientErrorHandler,
    ...options,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true },
      plugins: [(ajv: Ajv) => ajv.addFormat(PLAIN_TEXT_FORMAT, isPlainText)],
    },
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
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: {}, staticCSP: false });
  await app.register(multipart, {
    limits: { fileSize: services.config.api.maxUploadBytes, files: 4, fields: 10, fieldSize: 16 * 1024, parts: 16 },
  });
  await app.register(servicesPlugin, { services });
  await app.register(cookie);
  await app.register(loadShedding);
  await app.register(auth);
  await app.register(apiHeaders);
  await app.register(healthRoutes);
  await app.register(downloadRoutes);
  await app.register(taskRoutes);
  await app.register(submissionRoutes);
  await app.register(courseRoutes);
  await app.register(memberRoutes);
  await app.register(accountRoutes);
  await app.register(liveRoutes);
  // Last: the web app answers the GETs no API route took.
  await app.register(webApp);
  return app;
}
