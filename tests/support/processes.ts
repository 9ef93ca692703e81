/**
 * Starts the built api and worker (dist/, what Docker and `npm start` run) as child processes.
 * `npm test` builds them first; run `npm run build` before running these tests on their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PATIENCE_MS } from './eventually.ts';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = { api: 'dist/api/server.js', worker: 'dist/worker/main.js' } as const;

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = PATIENCE_MS,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms:\n${output()}`);
}

/** Spawns a service and resolves once its health endpoint answers 200. */
export async function startService(
  kind: keyof typeof ENTRY,
  env: Record<string, string>,
  options: { nodeArgs?: readonly string[] } = {},
): Promise<ServiceProcess> {
  if (!existsSync(path.join(ROOT, ENTRY[kind])))
    throw new Error(`${ENTRY[kind]} is missing: run "npm run build" first.`);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ENTRY[kind]], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const output = () => text;
  const port = kind === 'api' ? env.API_PORT : env.WORKER_HEALTH_PORT;
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, output);
  return {
    child,
    output,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
