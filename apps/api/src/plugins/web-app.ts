/**
 * Serves the built web app (apps/web/dist) from the API's own origin, so the session cookie and the
 * REST API share one origin and no CORS is ever needed. Any GET that no API route took and that is not
 * a file gets index.html (client-side routes such as /courses/ml2023/tasks/hw1); /v1 and /docs paths
 * keep their problem+json 404.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Chart.js and React set style attributes from script (CSSOM), which style-src 'self' allows.
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function securityHeaders(reply: FastifyReply) {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
  reply.header('x-frame-options', 'DENY');
}

export default async function webApp(app: FastifyInstance) {
  const root = app.services.config.api.webDir;
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) {
    app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The web app is not built. Run "npm run build:web" (npm start and npm test do it for you), then reload.\nThe REST API is at /v1, its documentation at /docs.\n',
        );
    });
    return;
  }
  app.addHook('onSend', async (_request, reply) => securityHeaders(reply));
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: false,
    // Vite names assets by content hash, so they never change under the same URL.
    setHeaders: (response, filePath) => {
      response.header(
        'cache-control',
        filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  const sendIndex = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html');
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const pathname = request.url.split('?')[0]!;
    // API paths and file-like paths (a missing asset) are real 404s, not pages.
    if (/^\/(v1|docs)(\/|$)/.test(pathname) || /\.[a-z0-9]+$/i.test(pathname)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
