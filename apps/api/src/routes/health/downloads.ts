/**
 * GET /downloads/mljudge.mjs: the CLI as one file (apps/cli/dist, built with the server), so a
 * student's CI installs the version of the CLI that matches the server it talks to.
 */
import { createReadStream, existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

export default async function downloadRoutes(app: FastifyInstance) {
  const file = app.services.config.api.cliBundle;
  app.get(
    '/downloads/mljudge.mjs',
    {
      config: { public: true },
      schema: {
        summary: 'The mljudge CLI as one JavaScript file (Node 20 or later)',
        tags: ['health'],
        produces: ['text/javascript'],
      },
    },
    async (_request, reply) => {
      if (!existsSync(file))
        return reply
          .status(404)
          .type('text/plain; charset=utf-8')
          .send('The CLI is not built on this server ("npm run build").\n');
      return reply
        .type('text/javascript; charset=utf-8')
        .header('content-disposition', 'attachment; filename="mljudge.mjs"')
        .send(createReadStream(file));
    },
  );
}
