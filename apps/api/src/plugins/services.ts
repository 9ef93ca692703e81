/** Makes the shared services available as `app.services` to every later plugin and route. */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export default fp(
  async function services(app: FastifyInstance, options: { services: Services }) {
    app.decorate('services', options.services);
  },
  { name: 'services' },
);
