/**
 * Liveness (the process answers), readiness (Postgres and Redis answer), Prometheus metrics, the
 * problem catalog, and the system status TAs watch during a deadline rush.
 */
import { pingDatabase } from '@mljudge/db';
import { QUEUE_NAMES } from '@mljudge/queue';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../../plugins/auth.ts';
import { forbidden } from '../../problems/app-error.ts';
import { catalogHtml, catalogRows } from '../../problems/catalog-page.ts';
import { errorResponses } from '../../schemas/common.ts';

const Health = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
});

const SystemStatus = Type.Object({
  queues: Type.Array(
    Type.Object({
      queue: Type.String(),
      waiting: Type.Integer(),
      active: Type.Integer(),
      delayed: Type.Integer(),
      workers: Type.Integer({ description: 'workers connected to this queue now' }),
      oldestWaitSeconds: Type.Number({ description: 'how long the oldest waiting submission has waited' }),
    }),
  ),
  keepingUp: Type.Boolean({ description: 'every queue with work has a worker and nothing has waited over a minute' }),
});

export default async function healthRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.get(
    '/healthz',
    { config: { public: true }, schema: { summary: 'Liveness', tags: ['health'], response: { 200: Health } } },
    async () => ({ status: 'ok' }),
  );

  typed.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        summary: 'Readiness: database and queue reachable',
        tags: ['health'],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const [database, queue] = await Promise.all([pingDatabase(services.db), services.queues.isAvailable()]);
      return reply
        .status(database && queue ? 200 : 503)
        .send({ status: database && queue ? 'ok' : 'unavailable', checks: { database, queue } });
    },
  );

  app.get(
    '/metrics',
    {
      config: { public: true },
      schema: { summary: 'Prometheus metrics of this API process', tags: ['health'], produces: ['text/plain'] },
    },
    async (_request, reply) => {
      const registry = services.metrics?.registry;
      if (!registry) return reply.status(404).type('text/plain').send('metrics are off\n');
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );

  // Untyped on purpose: it answers HTML or JSON depending on Accept.
  app.get(
    '/docs/problems',
    {
      config: { public: true },
      schema: {
        summary: 'Every error code with its meaning (HTML for browsers, JSON otherwise)',
        tags: ['health'],
        response: {
          200: Type.Object({
            problems: Type.Array(Type.Object({ code: Type.String(), status: Type.Integer(), meaning: Type.String() })),
          }),
        },
      },
    },
    async (request, reply) => {
      if ((request.headers.accept ?? '').includes('text/html'))
        return reply.type('text/html; charset=utf-8').send(catalogHtml());
      return { problems: catalogRows() };
    },
  );

  typed.get(
    '/v1/status',
    {
      schema: {
        summary: 'Is the grader keeping up? Queue depths, workers and waits (TAs and admins)',
        tags: ['health'],
        response: { 200: SystemStatus, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const staff = principal.siteAdmin || principal.memberships.some((m) => m.role === 'TA' || m.role === 'ADMIN');
      if (!staff) throw forbidden('Only TAs and admins can see the system status.');
      const queues = await services.queues.depths(Object.values(QUEUE_NAMES));
      const keepingUp = queues.every((q) => (q.waiting === 0 || q.workers > 0) && q.oldestWaitSeconds < 60);
      return {
        queues: queues.map((q) => ({ ...q, oldestWaitSeconds: Math.round(q.oldestWaitSeconds * 10) / 10 })),
        keepingUp,
      };
    },
  );
}
