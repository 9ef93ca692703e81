/**
 * Drives one model-runner child process: one model at a time, a wall-clock and a memory limit per model
 * (past either, the child is killed and the submission rejected with the limit it was given), and a
 * fresh child after a number of models because onnxruntime-node leaks memory across sessions.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { forkEntry, siblingEntry } from '@mljudge/runtime';
import type { ModelRunInfo } from '@mljudge/scoring';
import type { ScoringOutcome } from '../scoring/protocol.ts';
import type { RunRequest, RunRequestBody, RunResponse } from './protocol.ts';

const ENTRY = siblingEntry('runner-process', import.meta.url);
/**
 * How long the child may take to start and load the task (decode the hidden inputs) before the
 * model runs: time on our side, never counted against the model's own limit, but not unbounded.
 */
const PREPARATION_LIMIT_MS = 300_000;

export class RunnerError extends Error {
  override name = 'RunnerError';
}

export interface RunnerOptions {
  readonly modelsPerChild: number;
  /** Resident memory (JavaScript and onnxruntime's native allocations) a model may use. */
  readonly memoryLimitMb: number;
}

const MEMORY_CHECK_MS = 250;

/** Resident set size of a process in MiB (Linux /proc), or null where it cannot be read. */
async function residentMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kib ? Number(kib) / 1024 : null;
  } catch {
    return null;
  }
}

export class RunnerPool {
  private child: ChildProcess | null = null;
  private modelsRun = 0;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RunnerOptions) {}

  private spawn(): ChildProcess {
    const child = forkEntry(ENTRY, {
      execArgv: [`--max-old-space-size=${this.options.memoryLimitMb}`],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('exit', () => {
      if (this.child === child) this.child = null;
    });
    return child;
  }

  private retire(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
    this.modelsRun = 0;
  }

  /** Scores one model; runs are serialised (inference uses every core, or the GPU). */
  run(request: RunRequestBody, maxSeconds: number): Promise<{ outcome: ScoringOutcome; run: ModelRunInfo | null }> {
    const result = this.queue.then(() => this.runNow(request, maxSeconds));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private runNow(
    request: RunRequestBody,
    maxSeconds: number,
  ): Promise<{ outcome: ScoringOutcome; run: ModelRunInfo | null }> {
    if (!this.child || this.modelsRun >= this.options.modelsPerChild) {
      this.retire();
      this.child = this.spawn();
    }
    const child = this.child;
    this.modelsRun++;
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      const stop = (code: string, message: string, expected: string) => {
        cleanup();
        this.retire();
        resolve({ outcome: { kind: 'rejected', detail: { code, message, expected } }, run: null });
      };
      const timeOut = () =>
        stop(
          'ONNX_TIMEOUT',
          request.kind === 'images'
            ? `The evaluators did not finish your images within the ${maxSeconds} s this task gives them; the TAs have been told.`
            : `The model did not finish the hidden inputs within the ${maxSeconds} s this task gives it; make it smaller or faster.`,
          `at most ${maxSeconds} s`,
        );
      // Until the child says the model starts, only our own preparation runs; the model's limit
      // starts with the model.
      let timer = setTimeout(() => {
        cleanup();
        this.retire();
        reject(new RunnerError(`the model runner did not load the task within ${PREPARATION_LIMIT_MS} ms`));
      }, PREPARATION_LIMIT_MS);
      // session.run blocks the child, so its memory is watched from here rather than from inside.
      const watchdog = setInterval(() => {
        void residentMb(child.pid!).then((used) => {
          if (used !== null && used > this.options.memoryLimitMb) {
            stop(
              'ONNX_MEMORY',
              `The model used more than the ${this.options.memoryLimitMb} MB of memory this grader allows; make it smaller or lower its activations.`,
              `at most ${this.options.memoryLimitMb} MB`,
            );
          }
        });
      }, MEMORY_CHECK_MS);
      const onMessage = (response: RunResponse) => {
        if (response.requestId !== requestId) return;
        if ('started' in response) {
          clearTimeout(timer);
          timer = setTimeout(timeOut, maxSeconds * 1000);
          return;
        }
        cleanup();
        if ('error' in response) reject(new RunnerError(response.error));
        else resolve({ outcome: response.outcome, run: response.run });
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        cleanup();
        reject(new RunnerError(`the model runner exited (${signal ?? code}) while running a model`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(watchdog);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      const message: RunRequest = { ...request, requestId };
      child.send(message);
    });
  }

  async close(): Promise<void> {
    this.retire();
  }
}
