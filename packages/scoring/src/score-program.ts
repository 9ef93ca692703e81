/**
 * Scores a submission with the task's own program (TA code), run in the sandbox. The contract, also
 * in the README ("Scoring programs"):
 *
 * - the program starts in /bundle/program (the bundle's program/ files, read-only) with
 *   MLJUDGE_SUBMISSION (the uploaded file, read-only), MLJUDGE_BUNDLE (/bundle/program),
 *   MLJUDGE_SPLITS (the splits to score, comma-separated: public[,private]) and MLJUDGE_METRICS
 *   (the task's metrics, primary first); /tmp is its own and nothing else is writable;
 * - it prints one JSON object on standard output, either
 *   `{"scores": {"public": {"<metric>": <number>, ...}, "private": {...}}}` with every requested split
 *   and every metric, or `{"rejection": {"code": "UPPER_CASE", "message": "...", "line"?: n,
 *   "column"?: n, "file"?: "..."}}` for a submission the student must fix;
 * - anything else (a non-zero exit, a signal, the time or memory running out, output that is not
 *   such a document) is the program's fault: ProgramFailure, which the worker records as FAILED for
 *   the TAs, with the program's stderr, and the student never sees or pays for.
 *
 * Same function in the worker, at bundle upload (the TA's sample) and in `mljudge score`.
 */
import { constants } from 'node:os';
import {
  runSandboxed,
  runUnconfined,
  SANDBOX_PROGRAM_DIR,
  sandboxSubmissionPath,
  type SandboxRequest,
  type SandboxResult,
} from '@mljudge/sandbox';
import { SubmissionRejection, type RejectionDetail } from '@mljudge/formats';
import type { ScoreReport, SplitScore } from './score-submission.ts';
import type { TaskDefinition } from './task-definition.ts';

/** Bumped when the contract changes; a program's own changes make a new task version instead. */
export const PROGRAM_SCORER_VERSION = 'mljudge-program/1.0.0';

/** Where the submission appears inside the sandbox. */
const SUBMISSION_NAME = 'submission';
const MAX_MESSAGE = 1000;
const MAX_FILE_MB = 256;

/** What the TAs see of a failed run (never the student). */
export interface ProgramDiagnostics {
  readonly reason: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly wallMs: number;
  /** The last bytes the program wrote to stderr. */
  readonly stderr: string;
}

/** The program did not keep its side of the contract: a TA-side failure, not the student's. */
export class ProgramFailure extends Error {
  override name = 'ProgramFailure';
  constructor(readonly diagnostics: ProgramDiagnostics) {
    super(`scoring program failed: ${diagnostics.reason}`);
  }
}

export interface ProgramRunOptions {
  /** The bundle's program/ folder on this machine. */
  readonly programDir: string;
  readonly submissionPath: string;
  /** Host folders the program may read besides /usr (a Python environment in /opt, say). */
  readonly extraReadOnly?: readonly string[];
  /** `mljudge score` on a machine without bubblewrap only: run the program as a plain process. */
  readonly unconfined?: boolean;
}

function metricNames(definition: TaskDefinition): string[] {
  return [definition.metric.name, ...definition.report.map((extra) => extra.name)];
}

/** Runs the task's program on one file and reads its answer; throws SubmissionRejection or ProgramFailure. */
export async function scoreWithProgram(definition: TaskDefinition, options: ProgramRunOptions): Promise<ScoreReport> {
  const program = definition.program;
  if (!program) throw new Error(`task ${definition.slug} has no scoring program`);
  const submissionInSandbox = sandboxSubmissionPath(SUBMISSION_NAME);
  const request: SandboxRequest = {
    command: program.command,
    programDir: options.programDir,
    submissionPath: options.submissionPath,
    submissionName: SUBMISSION_NAME,
    env: {
      MLJUDGE_SUBMISSION: submissionInSandbox,
      MLJUDGE_BUNDLE: SANDBOX_PROGRAM_DIR,
      MLJUDGE_SPLITS: program.splits.join(','),
      MLJUDGE_METRICS: metricNames(definition).join(','),
    },
    limits: {
      wallSeconds: program.timeoutSeconds,
      cpuSeconds: program.timeoutSeconds,
      memoryMb: program.memoryMb,
      maxProcesses: program.maxProcesses,
      maxFileMb: MAX_FILE_MB,
    },
    ...(options.extraReadOnly ? { extraReadOnly: options.extraReadOnly } : {}),
  };
  const result = options.unconfined
    ? await runUnconfined(request, { programDir: SANDBOX_PROGRAM_DIR, submissionPath: submissionInSandbox })
    : await runSandboxed(request);
  return interpretProgramResult(definition, result);
}

function failure(result: SandboxResult, reason: string): ProgramFailure {
  return new ProgramFailure({
    reason,
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    wallMs: Math.round(result.wallMs),
    stderr: result.stderr,
  });
}

/** Why a finished process did not succeed, in the TAs' words, or null when it exited 0. */
function exitProblem(result: SandboxResult, definition: TaskDefinition): string | null {
  const program = definition.program!;
  if (result.timedOut) return `it ran past its ${program.timeoutSeconds} s limit and was killed`;
  // bwrap passes on a signal that ended the program as 128 + its number.
  const signal =
    result.signal ?? (result.exitCode !== null && result.exitCode > 128 ? signalName(result.exitCode - 128) : null);
  if (signal === 'SIGXCPU') return `it used more than ${program.timeoutSeconds} CPU seconds`;
  if (signal) return `it was killed by ${signal}`;
  if (result.exitCode !== 0) {
    const memory = /MemoryError|Cannot allocate memory|bad_alloc|out of memory/i.test(result.stderr)
      ? ` (out of memory: its limit is ${program.memoryMb} MB)`
      : '';
    return `it exited with status ${result.exitCode}${memory}`;
  }
  return null;
}

function signalName(number: number): string | null {
  const entry = Object.entries(constants.signals).find(([, value]) => value === number);
  return entry?.[0] ?? null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the program's answer against the contract. Exported for the offline check and tests. */
export function interpretProgramResult(definition: TaskDefinition, result: SandboxResult): ScoreReport {
  const problem = exitProblem(result, definition);
  if (problem) throw failure(result, problem);
  if (result.stdoutTruncated) throw failure(result, 'it printed more than 1 MB on standard output');
  let answer: unknown;
  try {
    answer = JSON.parse(result.stdout);
  } catch {
    throw failure(result, `its standard output is not one JSON object: ${JSON.stringify(result.stdout.slice(0, 200))}`);
  }
  if (!isRecord(answer)) throw failure(result, 'its standard output is not a JSON object');
  if ('rejection' in answer) throw new SubmissionRejection(rejectionOf(answer.rejection, result));
  if (!isRecord(answer.scores)) throw failure(result, 'its answer has neither "scores" nor "rejection"');
  const splits = definition.program!.splits;
  const read = (split: 'public' | 'private'): SplitScore | null => {
    if (!splits.includes(split)) return null;
    const values = (answer.scores as Record<string, unknown>)[split];
    if (!isRecord(values)) throw failure(result, `its scores have no "${split}" object`);
    const metrics: Record<string, number> = {};
    for (const name of metricNames(definition)) {
      const value = values[name];
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw failure(result, `its ${split} scores lack a finite number for ${name}`);
      metrics[name] = value;
    }
    return { value: metrics[definition.metric.name]!, metrics, rows: 0 };
  };
  return { public: read('public')!, private: read('private'), scorerVersion: PROGRAM_SCORER_VERSION };
}

/** The program's rejection, checked: a code, one message, and only the position fields it may give. */
function rejectionOf(value: unknown, result: SandboxResult): RejectionDetail {
  if (!isRecord(value)) throw failure(result, 'its "rejection" is not an object');
  const { code, message, line, column, file } = value;
  if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]{2,62}$/.test(code))
    throw failure(result, 'its rejection code is not UPPER_CASE_WITH_UNDERSCORES (3-63 characters)');
  if (typeof message !== 'string' || message.trim() === '') throw failure(result, 'its rejection has no message');
  const position = (name: string, field: unknown) => {
    if (field === undefined) return undefined;
    if (!Number.isInteger(field) || (field as number) < 1)
      throw failure(result, `its rejection's ${name} is not a positive integer`);
    return field as number;
  };
  const lineNumber = position('line', line);
  const columnNumber = position('column', column);
  if (file !== undefined && typeof file !== 'string') throw failure(result, "its rejection's file is not a string");
  const where = typeof file === 'string' && file !== '' ? `${file.slice(0, 100)}: ` : '';
  return {
    code,
    message: `${where}${message.trim()}`.slice(0, MAX_MESSAGE),
    ...(lineNumber !== undefined ? { line: lineNumber } : {}),
    ...(columnNumber !== undefined ? { column: columnNumber } : {}),
  };
}
