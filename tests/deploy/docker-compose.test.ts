/**
 * There is no Docker engine on the build machines, so the Docker files are kept honest by what can be
 * checked without one: every command runs a file the build really produces, every process gets the
 * database, Redis and the shared storage, services wait for what they need, the GPU worker gets a GPU,
 * and the image installs from the lock file and runs no TypeScript.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '@mljudge/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

interface Service {
  image?: string;
  build?: string | { args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { resources: { reservations: { devices: unknown[] } } };
  security_opt?: string[];
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const apps = Object.entries(services).filter(([, service]) => service.image?.startsWith('mljudge:'));
const dockerfile = read('Dockerfile');
const entryPoints = JSON.parse(read('scripts/entry-points.json')) as { services: Record<string, string> };
const built = new Set(Object.keys(entryPoints.services).map((name) => `dist/${name}.js`));

describe('docker-compose.yml', () => {
  it('runs every app process from a file the build produces (compiled, never through tsx)', () => {
    expect(apps.map(([name]) => name).sort()).toEqual(['api', 'worker', 'worker-gpu', 'worker-program']);
    for (const [name, service] of apps) {
      const [runtime, entry, ...rest] = service.command!;
      expect(runtime, name).toBe('node');
      expect(rest, name).toEqual([]);
      expect(built, `${name} runs ${entry}`).toContain(entry);
    }
    expect(dockerfile).not.toMatch(/tsx/);
    const cmd = /^CMD \[(.*)\]$/m
      .exec(dockerfile)![1]!
      .split(',')
      .map((part) => JSON.parse(part.trim()) as string);
    expect(built).toContain(cmd[1]);
  });

  it('gives every app process a configuration the service accepts, with the database, Redis and the shared storage', () => {
    const pg = services.postgres!.environment!;
    for (const [name, service] of apps) {
      const config = loadConfig(service.environment);
      expect(config.databaseUrl, name).toBe(
        `postgresql://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgres:5432/${pg.POSTGRES_DB}`,
      );
      expect(config.redisUrl, name).toBe('redis://redis:6379');
      expect(service.volumes, name).toContain(`storage:${config.storageDir}`);
    }
    expect(loadConfig(services.api!.environment).api.host).toBe('0.0.0.0');
  });

  it('runs Redis with the noeviction policy BullMQ needs and without persistence (Postgres is the record)', () => {
    const command = services.redis!.command!.join(' ');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(command).toContain('--appendonly no');
  });

  it('health-checks every service on the port it listens on, and starts apps after their dependencies are healthy', () => {
    for (const [name, service] of Object.entries(services)) expect(service.healthcheck?.test, name).toBeDefined();
    expect(services.api!.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    const apiPort = loadConfig(services.api!.environment).api.port;
    expect(services.api!.healthcheck!.test.join(' ')).toContain(`:${apiPort}/readyz`);
    for (const name of ['worker', 'worker-gpu', 'worker-program']) {
      const port = loadConfig(services[name]!.environment).worker.healthPort;
      expect(services[name]!.healthcheck!.test.join(' '), name).toContain(`:${port}/healthz`);
    }
  });

  it('sends model and image submissions to a GPU worker with a GPU reserved, and files to CPU workers', () => {
    const gpu = services['worker-gpu']!;
    const cpu = loadConfig(services.worker!.environment);
    const onGpu = loadConfig(gpu.environment);
    expect(onGpu.worker.queues).toEqual(['score-gpu']);
    expect(cpu.worker.queues).not.toContain('score-gpu');
    expect(onGpu.onnx.providers[0]).toBe('cuda');
    expect(onGpu.onnx.providers.at(-1)).toBe('cpu');
    expect(gpu.deploy!.resources.reservations.devices).toEqual([{ driver: 'nvidia', count: 1, capabilities: ['gpu'] }]);
    expect((gpu.build as { args: Record<string, string> }).args.ONNXRUNTIME_NODE_INSTALL).toBe('cuda12');
  });

  it("runs TAs' scoring programs on a worker of their own, allowed to make bubblewrap's namespaces", () => {
    const program = services['worker-program']!;
    expect(loadConfig(program.environment).worker.queues).toEqual(['score-program']);
    expect(loadConfig(services.worker!.environment).worker.queues).not.toContain('score-program');
    // The API checks a program bundle by running its sample in the same sandbox.
    for (const service of [program, services.api!])
      expect(service.security_opt).toEqual(['seccomp=unconfined', 'apparmor=unconfined']);
    expect(dockerfile).toMatch(/apt-get install[^\n]*\bbubblewrap\b[^\n]*\bpython3\b/);
    expect(dockerfile).toMatch(/gymnasium\[box2d\]/);
  });
});

describe('Dockerfile', () => {
  it('builds on Node 22 from the lock file and keeps only production packages in the image', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]!);
    expect(stages.every((image) => image.startsWith('node:22'))).toBe(true);
    expect(dockerfile).toMatch(/npm ci\b/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
  });

  it('ships the built web app and the CLI bundle the API serves', () => {
    expect(dockerfile).toMatch(/COPY --from=build \/app\/apps\/web\/dist/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/apps\/cli\/dist/);
  });
});
