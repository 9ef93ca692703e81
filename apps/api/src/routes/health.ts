/** Liveness (the process answers) and readiness (Postgres and Redis answer). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { catalogHtml, PROBLEMS } from '../problem-catalog.ts';

const Health = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
});

export default async function healthRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.get('/healthz', { schema: { summary: 'Liveness', tags: ['health'], response: { 200: Health } } }, async () => ({
    status: 'ok',
  }));
  // Untyped on purpose: it answers HTML or JSON depending on Accept.
  app.get(
    '/docs/problems',
    {
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
      return { problems: [...PROBLEMS] };
    },
  );
  typed.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: database and queue reachable',
        tags: ['health'],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const [database, queue] = await Promise.all([
        app.services.db.$queryRaw`SELECT 1`.then(
          () => true,
          () => false,
        ),
        app.services.queues.isAvailable(),
      ]);
      return reply
        .status(database && queue ? 200 : 503)
        .send({ status: database && queue ? 'ok' : 'unavailable', checks: { database, queue } });
    },
  );
}
