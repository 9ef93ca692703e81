/** Runs the api and the worker as child processes with prefixed output, and stops them together. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// Run from the sources (apps/launcher/src/main.ts under tsx) or from the build (dist/launcher/main.js).
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const ROOT = fileURLToPath(new URL(FROM_SOURCES ? '../../../' : '../../', import.meta.url));

/** The api's or the worker's entry file, the same kind (source or build) as this launcher's. */
export function serviceEntry(service: 'api' | 'worker'): string {
  const files = {
    api: { source: 'apps/api/src/server.ts', built: 'dist/api/server.js' },
    worker: { source: 'apps/worker/src/main.ts', built: 'dist/worker/main.js' },
  };
  return files[service][FROM_SOURCES ? 'source' : 'built'];
}

export interface ChildService {
  readonly name: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export function startChild(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  onExit: (code: number | null) => void,
): ChildService {
  const child = spawn(process.execPath, [...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
  }
  child.on('exit', onExit);
  return {
    name,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function waitForHealthy(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
}
