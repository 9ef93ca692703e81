/**
 * One process per variant of the CSV scoring benchmark. Usage: csv-variants.ts VARIANT DIR
 *   mljudge:   loadTask (solution, once, not timed) + scoreSubmission (parse, validate, both splits)
 *   csv-parse: csv-parse/sync of both files + Map from id to truth + a loop for accuracy on both splits
 * Prints {"ms", "result", "maxRssKiB"}.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadTask, scoreSubmission } from '@mljudge/scoring';
import { parse } from 'csv-parse/sync';

const [variant, dir] = process.argv.slice(2) as [string, string];
const taskYaml = readFileSync(`${dir}/task.yaml`, 'utf8');
const solution = readFileSync(`${dir}/solution.csv`);
const submission = readFileSync(`${dir}/submission.csv`);

function mljudge(): string {
  const task = loadTask(taskYaml, solution); // cached per task version in the worker
  const started = performance.now();
  const report = scoreSubmission(task, submission);
  const ms = performance.now() - started;
  return JSON.stringify({
    ms,
    result: `public ${report.public.value.toFixed(6)} private ${report.private!.value.toFixed(6)}`,
    maxRssKiB: process.resourceUsage().maxRSS,
  });
}

function csvParseBaseline(): string {
  const truthRows: Array<{ Id: string; Class: string; Usage: string }> = parse(solution, { columns: true });
  const truth = new Map(truthRows.map((row) => [row.Id, row]));
  const started = performance.now();
  const rows: Array<{ Id: string; Class: string }> = parse(submission, { columns: true });
  const correct = { Public: 0, Private: 0 };
  const total = { Public: 0, Private: 0 };
  const seen = new Set<string>();
  for (const row of rows) {
    const expected = truth.get(row.Id);
    if (!expected || seen.has(row.Id)) throw new Error(`bad id ${row.Id}`);
    seen.add(row.Id);
    const split = expected.Usage as 'Public' | 'Private';
    total[split]++;
    if (expected.Class === row.Class) correct[split]++;
  }
  if (seen.size !== truth.size) throw new Error('missing ids');
  const ms = performance.now() - started;
  return JSON.stringify({
    ms,
    result: `public ${(correct.Public / total.Public).toFixed(6)} private ${(correct.Private / total.Private).toFixed(6)}`,
    maxRssKiB: process.resourceUsage().maxRSS,
  });
}

process.stdout.write(`${variant === 'mljudge' ? mljudge() : csvParseBaseline()}\n`);
