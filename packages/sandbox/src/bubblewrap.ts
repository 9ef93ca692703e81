/**
 * Foreign code runs only inside bubblewrap (bwrap), never directly:
 *
 * - every namespace unshared (no network at all, its own PIDs, IPC and hostname), all capabilities
 *   dropped, a new session (no terminal injection), and it dies with its parent;
 * - a file system of the host's /usr (read-only, for the interpreter), the inputs read-only under
 *   /bundle and /submission, a private /tmp, and nothing else of the host;
 * - a scrubbed environment: only the variables the request names;
 * - limits set with prlimit before it starts: address space (memory), CPU seconds, processes, file
 *   size, open files; and a wall clock this module enforces by killing the whole process group.
 *
 * Processes are counted per user, so the sandbox needs a user of its own: a root worker runs each
 * sandbox as a fresh unprivileged uid (its inputs copied into a folder that uid owns); a worker that
 * is not root runs it as itself, with the limit raised by the threads it already has.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAndCollect, type RunResult } from './collect.ts';

export interface SandboxLimits {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly memoryMb: number;
  readonly maxProcesses: number;
  /** The largest file the program may write (in /tmp). */
  readonly maxFileMb: number;
}

export interface SandboxRequest {
  /** argv, run with /bundle/program as the working directory; found on PATH inside the sandbox. */
  readonly command: readonly string[];
  /** Mounted read-only at /bundle/program. */
  readonly programDir: string;
  /** Mounted read-only at /submission/<submissionName>. */
  readonly submissionPath: string;
  readonly submissionName: string;
  /** The whole environment the program sees, besides PATH, HOME, LANG and TMPDIR. */
  readonly env: Readonly<Record<string, string>>;
  readonly limits: SandboxLimits;
  /** More host folders to show read-only at the same path (a Python environment in /opt, say). */
  readonly extraReadOnly?: readonly string[];
}

export type SandboxResult = RunResult;

export type SandboxProbe = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Where the program and the submission appear inside the sandbox. */
export const SANDBOX_PROGRAM_DIR = '/bundle/program';
export const sandboxSubmissionPath = (name: string) => `/submission/${name}`;
const SANDBOX_UIDS = { first: 61_000, count: 4_000 };

const isRoot = () => process.getuid?.() === 0;

/** Host paths every sandbox sees read-only: the interpreter and its libraries. */
function systemMounts(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const dir of ['bin', 'lib', 'lib64', 'sbin']) {
    const host = `/${dir}`;
    if (!existsSync(host)) continue;
    // Merged-/usr systems have these as links into /usr; older ones as folders of their own.
    if (lstatSync(host).isSymbolicLink()) args.push('--symlink', `usr/${dir}`, host);
    else args.push('--ro-bind', host, host);
  }
  for (const file of ['/etc/ld.so.cache', '/etc/alternatives', '/etc/localtime'])
    args.push('--ro-bind-try', file, file);
  return args;
}

/** Threads the current user runs now (RLIMIT_NPROC counts them, the worker's own included). */
function threadsOfCurrentUser(): number {
  const uid = process.getuid?.();
  let threads = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const owner = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      if (Number(owner) === uid) threads += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
    } catch {
      // the process ended while we looked
    }
  }
  return threads;
}

/** A root worker hands the sandbox copies its throwaway uid owns; anyone else mounts the originals. */
function stageInputs(request: SandboxRequest): {
  programDir: string;
  submissionPath: string;
  uid: number | null;
  cleanup: () => void;
} {
  if (!isRoot())
    return {
      programDir: request.programDir,
      submissionPath: request.submissionPath,
      uid: null,
      cleanup: () => undefined,
    };
  const uid = SANDBOX_UIDS.first + randomInt(SANDBOX_UIDS.count);
  const stage = mkdtempSync(path.join(tmpdir(), 'mljudge-sandbox-'));
  const programDir = path.join(stage, 'program');
  cpSync(request.programDir, programDir, { recursive: true, dereference: false, verbatimSymlinks: true });
  const submissionPath = path.join(stage, 'submission');
  copyFileSync(request.submissionPath, submissionPath);
  for (const target of [stage, programDir, submissionPath, ...listTree(programDir)]) chownSync(target, uid, uid);
  chmodSync(stage, 0o700);
  return { programDir, submissionPath, uid, cleanup: () => rmSync(stage, { recursive: true, force: true }) };
}

function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).map((entry) =>
    path.join(entry.parentPath, entry.name),
  );
}

function argv(request: SandboxRequest, staged: ReturnType<typeof stageInputs>): string[] {
  const { limits } = request;
  const processes = staged.uid === null ? threadsOfCurrentUser() + limits.maxProcesses : limits.maxProcesses;
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: '/tmp',
    TMPDIR: '/tmp',
    LANG: 'C.UTF-8',
    ...request.env,
  };
  const bwrap = [
    'bwrap',
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--clearenv',
    ...Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value]),
    ...systemMounts(),
    ...(request.extraReadOnly ?? []).flatMap((dir) => ['--ro-bind', dir, dir]),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    '--ro-bind',
    staged.programDir,
    SANDBOX_PROGRAM_DIR,
    '--ro-bind',
    staged.submissionPath,
    sandboxSubmissionPath(request.submissionName),
    // Everything but /tmp is read-only, the sandbox's own root included.
    '--remount-ro',
    '/',
    '--chdir',
    SANDBOX_PROGRAM_DIR,
    '--',
    ...request.command,
  ];
  const prlimit = [
    'prlimit',
    `--as=${limits.memoryMb * 1024 * 1024}`,
    `--cpu=${limits.cpuSeconds}`,
    `--nproc=${processes}`,
    `--fsize=${limits.maxFileMb * 1024 * 1024}`,
    '--nofile=256',
    '--core=0',
    '--',
  ];
  const asUser =
    staged.uid === null ? [] : ['setpriv', `--reuid=${staged.uid}`, `--regid=${staged.uid}`, '--clear-groups', '--'];
  return [...asUser, ...prlimit, ...bwrap];
}

/** Runs the request in the sandbox and collects what it printed; never throws for the program's faults. */
export async function runSandboxed(request: SandboxRequest): Promise<SandboxResult> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(request.submissionName))
    throw new Error(`unsafe submission name ${JSON.stringify(request.submissionName)}`);
  const staged = stageInputs(request);
  try {
    const [file, ...args] = argv(request, staged);
    return await runAndCollect(file!, args, {}, request.limits.wallSeconds);
  } finally {
    staged.cleanup();
  }
}

/**
 * Whether this machine can sandbox: bwrap, prlimit (and setpriv for a root worker) present, and a
 * sandbox that really starts. A worker that gets { ok: false } refuses scoring programs and says why.
 */
export async function probeSandbox(): Promise<SandboxProbe> {
  for (const tool of ['bwrap', 'prlimit', ...(isRoot() ? ['setpriv'] : [])]) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
      return { ok: false, reason: `${tool} is not installed (Debian: apt-get install bubblewrap util-linux)` };
  }
  const probeDir = mkdtempSync(path.join(tmpdir(), 'mljudge-sandbox-probe-'));
  try {
    const submission = path.join(probeDir, 'probe.txt');
    writeFileSync(submission, 'probe\n');
    const result = await runSandboxed({
      command: ['sh', '-c', 'test -r /submission/probe.txt && echo sandbox-ok'],
      programDir: probeDir,
      submissionPath: submission,
      submissionName: 'probe.txt',
      env: {},
      limits: { wallSeconds: 20, cpuSeconds: 10, memoryMb: 256, maxProcesses: 8, maxFileMb: 1 },
    });
    if (result.stdout.trim() === 'sandbox-ok') return { ok: true };
    return {
      ok: false,
      reason: `bubblewrap did not start a sandbox (exit ${result.exitCode}): ${result.stderr.trim().slice(0, 300) || 'no message'}`,
    };
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }
}
