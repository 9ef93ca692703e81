/**
 * Starts a process in a group of its own, collects the head of its stdout and the tail of its stderr
 * within fixed bounds, and kills the whole group when the wall clock runs out or the run ends (so
 * nothing it forked lingers).
 */
import { spawn } from 'node:child_process';

export interface RunResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The wall clock ran out and the process group was killed. */
  readonly timedOut: boolean;
  /** The first bytes of standard output (enough for the result document). */
  readonly stdout: string;
  readonly stdoutTruncated: boolean;
  /** The last bytes of standard error, for the TAs. */
  readonly stderr: string;
  readonly wallMs: number;
}

const STDOUT_LIMIT = 1024 * 1024;
const STDERR_LIMIT = 16 * 1024;

export interface SpawnOptions {
  readonly cwd?: string;
  /** The child's whole environment; the parent's when absent. */
  readonly env?: NodeJS.ProcessEnv;
}

export async function runAndCollect(
  file: string,
  args: readonly string[],
  options: SpawnOptions,
  wallSeconds: number,
): Promise<RunResult> {
  const started = performance.now();
  const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stdoutTruncated = false;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    if (stdout.length >= STDOUT_LIMIT) {
      stdoutTruncated = true;
      return;
    }
    stdout += chunk.toString('utf8');
    if (stdout.length > STDOUT_LIMIT) {
      stdout = stdout.slice(0, STDOUT_LIMIT);
      stdoutTruncated = true;
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_LIMIT);
  });
  let timedOut = false;
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, wallSeconds * 1000);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, sig) => resolve([code, sig]));
  }).finally(() => {
    clearTimeout(timer);
    killGroup();
  });
  return { exitCode, signal, timedOut, stdout, stdoutTruncated, stderr, wallMs: performance.now() - started };
}
