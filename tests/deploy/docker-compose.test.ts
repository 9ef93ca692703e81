/**
 * There is no Docker engine on the build machines, so docker-compose.yml is kept honest by reading it:
 * the services, their images and commands, the environment each process needs, health checks, the
 * GPU reservation and the shared storage volume.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
// A parsed YAML document: its shape is what the assertions below check.
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), { merge: true }) as Record<
  string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  any
>;
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
const services = compose.services;

describe('docker-compose.yml', () => {
  it('defines postgres, redis, api, a CPU worker and a GPU worker', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'redis', 'worker', 'worker-gpu']);
    expect(services.postgres.image).toMatch(/^postgres:\d+/);
    expect(services.redis.image).toMatch(/^redis:7/);
  });

  it('runs Redis with the noeviction policy BullMQ needs', () => {
    expect(services.redis.command.join(' ')).toContain('--maxmemory-policy noeviction');
  });

  it('gives every app process the database, Redis and the shared storage', () => {
    for (const name of ['api', 'worker', 'worker-gpu']) {
      const service = services[name];
      expect(service.environment.DATABASE_URL).toMatch(/^postgresql:\/\/\w+:\w+@postgres:5432\/\w+$/);
      expect(service.environment.REDIS_URL).toBe('redis://redis:6379');
      expect(service.volumes).toContain(`storage:${service.environment.STORAGE_DIR}`);
    }
    const pg = services.postgres.environment;
    expect(services.api.environment.DATABASE_URL).toBe(
      `postgresql://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgres:5432/${pg.POSTGRES_DB}`,
    );
  });

  it('runs the real entry points, and migrates with prisma migrate deploy before the API starts', () => {
    expect(services.api.command.join(' ')).toMatch(
      /prisma migrate deploy && exec node --import tsx apps\/api\/src\/server.ts/,
    );
    expect(services.worker.command).toEqual(['node', '--import', 'tsx', 'apps/worker/src/main.ts']);
    for (const entry of ['apps/api/src/server.ts', 'apps/worker/src/main.ts'])
      expect(readFileSync(new URL(entry, root), 'utf8').length).toBeGreaterThan(0);
  });

  it('health-checks every service and starts apps only after their dependencies are healthy', () => {
    for (const name of Object.keys(services)) expect(services[name].healthcheck?.test, name).toBeDefined();
    expect(services.api.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(services.api.healthcheck.test.join(' ')).toContain('/readyz');
    expect(services.worker.healthcheck.test.join(' ')).toContain(
      `:${services.worker.environment.WORKER_HEALTH_PORT}/healthz`,
    );
  });

  it('reserves an NVIDIA GPU for worker-gpu, builds it with the CUDA runtime and prefers the CUDA provider', () => {
    const gpu = services['worker-gpu'];
    expect(gpu.deploy.resources.reservations.devices).toEqual([{ driver: 'nvidia', count: 1, capabilities: ['gpu'] }]);
    expect(gpu.build.args.ONNXRUNTIME_NODE_INSTALL).toBe('cuda12');
    expect(gpu.environment.ONNX_PROVIDERS.split(',')[0]).toBe('cuda');
    expect(gpu.environment.ONNX_PROVIDERS.split(',').at(-1)).toBe('cpu');
    expect(services.worker.environment.ONNX_PROVIDERS).toBe('cpu');
  });

  it('sends model submissions to GPU workers and prediction files to CPU workers', () => {
    expect(services['worker-gpu'].environment.WORKER_QUEUES).toBe('score-gpu');
    expect(services.worker.environment.WORKER_QUEUES).toBe('score-cpu');
  });

  it('builds an image whose Dockerfile installs from the lock file on Node 20', () => {
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toContain('npm ci');
    expect(dockerfile).toContain('COPY package.json package-lock.json');
    expect(dockerfile).toContain('ARG ONNXRUNTIME_NODE_INSTALL');
    // The web app is built in its own stage (with Vite) and only its static files reach the image,
    // where the API serves them from apps/web/dist (the WEB_DIR default).
    expect(dockerfile).toMatch(/^FROM node:20\S* AS web$/m);
    expect(dockerfile).toContain('npm run build:web');
    expect(dockerfile).toContain('COPY --from=web /app/apps/web/dist ./apps/web/dist');
  });
});
