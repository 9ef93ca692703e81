/**
 * A tiny HTTP server for orchestrators and Prometheus: /healthz answers 200 when Postgres and Redis
 * answer (503 otherwise), /metrics the worker's metrics.
 */
import http from 'node:http';
import type { Registry } from 'prom-client';

export type HealthCheck = () => Promise<Record<string, boolean>>;

export function startHealthServer(
  port: number,
  host: string,
  check: HealthCheck,
  registry: Registry,
): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    if (request.url === '/metrics') {
      void registry
        .metrics()
        .then((text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text));
      return;
    }
    if (request.url !== '/healthz') {
      response
        .writeHead(404, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }));
      return;
    }
    void check()
      .catch(() => ({ checks: false }))
      .then((checks) => {
        const healthy = Object.values(checks).every(Boolean);
        response
          .writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: healthy ? 'ok' : 'unavailable', checks }));
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
