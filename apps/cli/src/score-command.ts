/**
 * `mljudge score --task DIR --submission FILE [--json]`: scores a file against a task bundle offline
 * with the very code the workers run. A student can check a prediction file, and reproduce an official
 * score on their own labels, before spending a submission.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BundleError, SubmissionRejection } from '@mljudge/formats';
import { probeSandbox } from '@mljudge/sandbox';
import { readNpy } from '@mljudge/onnx-runner';
import {
  EVALUATION_FOLDER,
  EvaluatorFailure,
  INPUTS_FILE,
  loadImageTask,
  loadTaskDefinition,
  loadTaskDirectory,
  PROGRAM_FOLDER,
  ProgramFailure,
  rejectionProblem,
  scoreImages,
  scoreModel,
  scoreSubmission,
  scoreWithProgram,
  type ScoreReport,
  type TaskDefinition,
} from '@mljudge/scoring';
import { EXIT } from './exit-codes.ts';
import type { Output } from './output.ts';

export const SCORE_USAGE = `Usage: mljudge score --task DIR --submission FILE [--json]

Scores FILE against the task bundle in DIR (task.yaml + solution.csv with a Usage column),
exactly as the grading server does. For a task with a scoring program (DIR/program/), the
program runs in the same bubblewrap sandbox as on the server where bubblewrap is installed,
and as a plain process otherwise (with a warning). A model task (FILE an .onnx) runs the
model over DIR/inputs.npy; an images task (FILE a .tgz or .zip) runs the TAs' evaluator
models in DIR/evaluation/ (with the FID statistics the server computed, or the real images),
both on the CPU with onnxruntime-node and, for images, sharp.

  --task DIR          the task bundle directory
  --submission FILE   the prediction file to score
  --json              print {"public": {...}, "private": {...}} (or the problem document on rejection)

Exit status: 0 scored, 2 the file was rejected, 1 any other problem.`;

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(6);
}

function passedBaselines(definition: TaskDefinition, metrics: Readonly<Record<string, number>>): string[] {
  const direction = definition.direction;
  return definition.baselines
    .filter((baseline) =>
      Object.entries(baseline.public).every(([metric, threshold]) => {
        const value = metrics[metric];
        if (value === undefined) return false;
        const metricDirection =
          metric === definition.metric.name
            ? direction
            : (definition.report.find((m) => m.name === metric)?.definition.direction ?? direction);
        return metricDirection === 'higher' ? value >= threshold : value <= threshold;
      }),
    )
    .map((baseline) => baseline.name);
}

function humanReport(definition: TaskDefinition, report: ScoreReport): string {
  const lines = [`${definition.slug}: ${definition.metric.name} (${definition.direction} is better)`];
  for (const [split, score] of [
    ['public', report.public],
    ['private', report.private],
  ] as const) {
    if (!score) continue;
    const metrics = Object.entries(score.metrics)
      .map(([name, value]) => `${name} ${formatValue(value)}`)
      .join(', ');
    const rows =
      definition.format === 'program' ? '' : `  (${score.rows} ${definition.format === 'images' ? 'images' : 'rows'})`;
    lines.push(`  ${split.padEnd(7)} ${metrics}${rows}`);
  }
  if (definition.baselines.length > 0) {
    const passed = passedBaselines(definition, report.public.metrics);
    lines.push(`  baselines passed (public): ${passed.length > 0 ? passed.join(', ') : 'none'}`);
  }
  return `${lines.join('\n')}\n`;
}

async function fileScorer(directory: string): Promise<(submission: Buffer) => Promise<ScoreReport>> {
  const task = await loadTaskDirectory(directory);
  return (submission) => Promise.resolve(scoreSubmission(task, submission));
}

/** A student's model over the bundle's hidden inputs, on the CPU. */
async function modelScorer(directory: string): Promise<(submission: Buffer) => Promise<ScoreReport>> {
  const task = await loadTaskDirectory(directory);
  const inputs = readNpy(await readFile(path.join(directory, INPUTS_FILE)));
  return async (model) => (await scoreModel(task, inputs, model, { providers: ['cpu'] })).report;
}

/** An image archive through the bundle's evaluator models, on the CPU. */
async function imagesScorer(directory: string): Promise<(submission: Buffer) => Promise<ScoreReport>> {
  const taskYaml = await readFile(path.join(directory, 'task.yaml'), 'utf8');
  const task = await loadImageTask(taskYaml, path.join(directory, EVALUATION_FOLDER), { providers: ['cpu'] });
  return async (archive) => (await scoreImages(task, archive, { providers: ['cpu'] })).report;
}

function scorerFor(definition: TaskDefinition, directory: string, submissionPath: string, output: Output) {
  switch (definition.format) {
    case 'program':
      return programScorer(definition, directory, submissionPath, output);
    case 'onnx':
      return modelScorer(directory);
    case 'images':
      return imagesScorer(directory);
    case 'csv':
    case 'text':
      return fileScorer(directory);
  }
}

/** The task's program, sandboxed as on the server where this machine can, else as a plain process. */
async function programScorer(
  definition: TaskDefinition,
  directory: string,
  submissionPath: string,
  output: Output,
): Promise<(submission: Buffer) => Promise<ScoreReport>> {
  const sandbox = await probeSandbox();
  if (!sandbox.ok)
    output.stderr.write(
      `warning: running the task's scoring program without a sandbox (${sandbox.reason}); the server always sandboxes it.\n`,
    );
  const programDir = path.join(directory, PROGRAM_FOLDER);
  return () => scoreWithProgram(definition, { programDir, submissionPath, unconfined: !sandbox.ok });
}

export async function scoreCommand(args: readonly string[], output: Output): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        task: { type: 'string' },
        submission: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    output.stderr.write(`${(error as Error).message}\n\n${SCORE_USAGE}\n`);
    return EXIT.other;
  }
  if (values.help) {
    output.stdout.write(`${SCORE_USAGE}\n`);
    return EXIT.ok;
  }
  if (!values.task || !values.submission) {
    output.stderr.write(`Both --task and --submission are required.\n\n${SCORE_USAGE}\n`);
    return EXIT.other;
  }
  let definition: TaskDefinition;
  let score: (submission: Buffer) => Promise<ScoreReport>;
  try {
    definition = await loadTaskDefinition(values.task);
    score = await scorerFor(definition, values.task, values.submission, output);
  } catch (error) {
    if (error instanceof BundleError) {
      output.stderr.write(`The task bundle in ${values.task} is invalid: ${error.message}\n`);
      return EXIT.other;
    }
    throw error;
  }
  let submission: Buffer;
  try {
    submission = await readFile(values.submission);
  } catch (error) {
    output.stderr.write(
      `Cannot read ${values.submission}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    );
    return EXIT.other;
  }
  try {
    const report = await score(submission);
    if (values.json) {
      output.stdout.write(
        `${JSON.stringify({ public: report.public.metrics, private: report.private?.metrics ?? null })}\n`,
      );
    } else {
      output.stdout.write(humanReport(definition, report));
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof EvaluatorFailure) {
      output.stderr.write(`The task's evaluator models failed: ${error.message}\n`);
      return EXIT.other;
    }
    if (error instanceof ProgramFailure) {
      const { reason, stderr } = error.diagnostics;
      output.stderr.write(`The task's scoring program failed: ${reason}.\n${stderr ? `${stderr.trimEnd()}\n` : ''}`);
      return EXIT.other;
    }
    if (!(error instanceof SubmissionRejection)) throw error;
    const problem = rejectionProblem(error.detail);
    if (values.json) {
      output.stdout.write(`${JSON.stringify(problem)}\n`);
    } else {
      output.stderr.write(
        `Rejected (${problem.code}): ${problem.detail}\n${problem.expected ? `  expected: ${problem.expected}\n` : ''}`,
      );
    }
    return EXIT.rejected;
  }
}
