/**
 * Headers every API answer carries: answers hold personal scores and must not be cached by a shared
 * proxy or a browser's disk cache, and nothing may be sniffed as another type.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

export default fp(
  async function apiHeaders(app: FastifyInstance) {
    app.addHook('onSend', async (request, reply) => {
      if (!request.url.startsWith('/v1/')) return;
      reply.header('x-content-type-options', 'nosniff');
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    });
  },
  { name: 'api-headers' },
);
