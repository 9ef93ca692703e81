/** The scoring-program contract as the worker reads it: what is a score, a rejection, a TA's failure. */
import { SubmissionRejection } from '@mljudge/formats';
import type { SandboxResult } from '@mljudge/sandbox';
import { describe, expect, it } from 'vitest';
import { interpretProgramResult, ProgramFailure } from './score-program.ts';
import { parseTaskYaml } from './task-definition.ts';

const definition = parseTaskYaml(`slug: programmed
title: Programmed
format: program
program: { command: [python3, score.py], sample: sample.txt, timeout_seconds: 10, memory_mb: 512 }
metric: { name: reward, direction: higher }
report: [{ name: steps, direction: lower }]
`);

const finished = (stdout: string, overrides: Partial<SandboxResult> = {}): SandboxResult => ({
  exitCode: 0,
  signal: null,
  timedOut: false,
  stdout,
  stdoutTruncated: false,
  stderr: 'the last words',
  wallMs: 12,
  ...overrides,
});

function failureOf(result: SandboxResult): string {
  try {
    interpretProgramResult(definition, result);
  } catch (error) {
    if (error instanceof ProgramFailure) return error.diagnostics.reason;
    throw error;
  }
  throw new Error('no failure');
}

describe('interpretProgramResult', () => {
  it('reads every split and metric the task names, primary first', () => {
    const report = interpretProgramResult(
      definition,
      finished('{"scores": {"public": {"reward": 12.5, "steps": 300}, "private": {"reward": -1, "steps": 10}}}\n'),
    );
    expect(report.public).toEqual({ value: 12.5, metrics: { reward: 12.5, steps: 300 }, rows: 0 });
    expect(report.private?.value).toBe(-1);
    expect(report.scorerVersion).toBe('mljudge-program/1.0.0');
  });

  it('passes a rejection on to the student, with its position and file', () => {
    let rejection: SubmissionRejection | undefined;
    try {
      interpretProgramResult(
        definition,
        finished(
          '{"rejection": {"code": "BAD_ROW", "message": " row 3 is empty ", "line": 3, "column": 2, "file": "a.npy"}}',
        ),
      );
    } catch (error) {
      rejection = error as SubmissionRejection;
    }
    expect(rejection).toBeInstanceOf(SubmissionRejection);
    expect(rejection!.detail).toEqual({ code: 'BAD_ROW', message: 'a.npy: row 3 is empty', line: 3, column: 2 });
  });

  it.each([
    ['a missing split', '{"scores": {"public": {"reward": 1, "steps": 2}}}', 'its scores have no "private" object'],
    [
      'a missing metric',
      '{"scores": {"public": {"reward": 1}, "private": {"reward": 1, "steps": 2}}}',
      'its public scores lack a finite number for steps',
    ],
    [
      'a value that is not a number',
      '{"scores": {"public": {"reward": "1", "steps": 2}, "private": {"reward": 1, "steps": 2}}}',
      'its public scores lack a finite number for reward',
    ],
    ['neither scores nor rejection', '{"score": 1}', 'its answer has neither "scores" nor "rejection"'],
    ['an array', '[1, 2]', 'its standard output is not a JSON object'],
    [
      'a lower-case code',
      '{"rejection": {"code": "bad", "message": "x"}}',
      'its rejection code is not UPPER_CASE_WITH_UNDERSCORES (3-63 characters)',
    ],
    ['an empty message', '{"rejection": {"code": "BAD_ROW", "message": "  "}}', 'its rejection has no message'],
    [
      'a line of 0',
      '{"rejection": {"code": "BAD_ROW", "message": "x", "line": 0}}',
      "its rejection's line is not a positive integer",
    ],
  ])('fails the program on %s', (_case, stdout, reason) => {
    expect(failureOf(finished(stdout))).toBe(reason);
  });

  it('fails the program on how it ended, before reading a word of its output', () => {
    const scores = '{"scores": {"public": {"reward": 1, "steps": 2}, "private": {"reward": 1, "steps": 2}}}';
    expect(failureOf(finished(scores, { timedOut: true, signal: 'SIGKILL' }))).toBe(
      'it ran past its 10 s limit and was killed',
    );
    expect(failureOf(finished(scores, { exitCode: 128 + 9 }))).toBe('it was killed by SIGKILL');
    expect(failureOf(finished(scores, { exitCode: 128 + 24 }))).toBe('it used more than 10 CPU seconds');
    expect(failureOf(finished(scores, { exitCode: 1, stderr: 'MemoryError' }))).toBe(
      'it exited with status 1 (out of memory: its limit is 512 MB)',
    );
    expect(failureOf(finished(scores, { stdoutTruncated: true }))).toBe('it printed more than 1 MB on standard output');
  });

  it('keeps the stderr tail for the TAs', () => {
    try {
      interpretProgramResult(definition, finished('not json'));
    } catch (error) {
      expect((error as ProgramFailure).diagnostics).toMatchObject({ stderr: 'the last words', wallMs: 12 });
    }
    expect.assertions(1);
  });
});
