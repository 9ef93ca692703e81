/**
 * Refuses work the process cannot do in time: while its event loop lags past the limit (measured by
 * @fastify/under-pressure), every API request gets 503 with Retry-After before anything is read or
 * stored, and clients retry (the CLI and the web app with the same Idempotency-Key). Health, metrics
 * and the web app's files are always served.
 */
import underPressure from '@fastify/under-pressure';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { unavailable } from '../problems/app-error.ts';

export default fp(
  async function loadShedding(app: FastifyInstance) {
    const { maxEventLoopDelayMs } = app.services.config.api;
    if (maxEventLoopDelayMs <= 0) return;
    await app.register(underPressure, {
      maxEventLoopDelay: maxEventLoopDelayMs,
      pressureHandler: (request) => {
        if (!request.url.startsWith('/v1/')) return undefined;
        app.services.metrics?.shed.inc();
        return Promise.reject(
          unavailable('SERVICE_BUSY', 'The server is overloaded for a moment; nothing was stored. Retry shortly.', 2),
        );
      },
    });
  },
  { name: 'load-shedding', dependencies: ['services'] },
);
