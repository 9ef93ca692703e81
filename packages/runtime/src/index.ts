/**
 * Worker threads and child processes run one of our own modules as their entry. In development that
 * module is TypeScript run through tsx; in production it is a file of the compiled bundle next to
 * the one starting it. `siblingEntry` finds the right file, and `startThread`/`forkEntry` start it so
 * that TypeScript works where it must (Node 20's workers ignore --import loader hooks, so a thread
 * registers tsx itself before importing its entry).
 */
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The module `name` beside `importerUrl`, with the extension the importer itself has (.ts or .js). */
export function siblingEntry(name: string, importerUrl: string): URL {
  const extension = importerUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, importerUrl);
}

const isTypeScript = (entry: URL) => entry.pathname.endsWith('.ts');

/** Starts a worker thread running `entry`. */
export function startThread(entry: URL, options: WorkerOptions = {}): Worker {
  if (!isTypeScript(entry)) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** Forks a child process running `entry` (with an IPC channel). */
export function forkEntry(entry: URL, options: ForkOptions = {}): ChildProcess {
  const execArgv = [...(options.execArgv ?? []), ...(isTypeScript(entry) ? ['--import', 'tsx'] : [])];
  return fork(entry, [], { ...options, execArgv });
}
