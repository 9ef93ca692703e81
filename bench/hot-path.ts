/**
 * `node --import tsx bench/hot-path.ts [--rounds N]`: the scoring hot path at HW2 size (646,268 rows),
 * in one process, variants interleaved round by round (A, B, C, A, B, C, ...) so that load on the
 * machine hits each alike:
 *   - floor: a byte loop that only counts the lines of the submission (what any reader must do);
 *   - score: scoreSubmission on a loaded task, warm (what the worker does per upload);
 *   - load:  loadTask, parsing the hidden solution.csv (what a fresh worker pays per task version).
 * Prints min / median / max per variant, the ratio of medians to the floor, and peak RSS. Then, as
 * whole processes, alternating: `mljudge score` (the built CLI: start, load, score) against the pandas
 * + scikit-learn script doing the same work (bench/pandas_hw2.py, which also reports its own time
 * without imports), where /usr/bin/python3 has pandas and scikit-learn.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadTask, scoreSubmission } from '@mljudge/scoring';
import { writeHw2 } from './hw2-input.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, dir: { type: 'string' } } });
const rounds = Number(values.rounds);
const dir = values.dir ?? new URL('./.out/hw2-hot', import.meta.url).pathname;
const ROWS = 646_268;

if (!existsSync(`${dir}/submission.csv`)) writeHw2(dir, ROWS);
const taskYaml = readFileSync(`${dir}/task.yaml`, 'utf8');
const solution = readFileSync(`${dir}/solution.csv`);
const submission = readFileSync(`${dir}/submission.csv`);

function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
  return lines;
}

let task = loadTask(taskYaml, solution);
const variants: Record<string, () => unknown> = {
  floor: () => countLines(submission),
  score: () => scoreSubmission(task, submission).public.value,
  load: () => (task = loadTask(taskYaml, solution)),
};
const times: Record<string, number[]> = { floor: [], score: [], load: [] };
for (const run of Object.values(variants)) run(); // warm up every variant once
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of Object.entries(variants)) {
    const started = performance.now();
    run();
    times[name]!.push(performance.now() - started);
  }
}
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
};
const floor = stats(times.floor!).median;
console.log(
  `# bench/hot-path.ts: HW2 ${ROWS.toLocaleString('en')} rows (${(submission.length / 1048576).toFixed(1)} MiB upload, ${(solution.length / 1048576).toFixed(1)} MiB solution), ${rounds} interleaved rounds, load ${loadavg()[0]!.toFixed(2)}`,
);
console.log('\n| variant | min ms | median ms | max ms | median / floor |');
console.log('|---|---:|---:|---:|---:|');
for (const name of Object.keys(variants)) {
  const s = stats(times[name]!);
  console.log(
    `| ${name} | ${s.min.toFixed(1)} | ${s.median.toFixed(1)} | ${s.max.toFixed(1)} | ${(s.median / floor).toFixed(1)}x |`,
  );
}
console.log(
  `\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB for ${((submission.length + solution.length) / 1048576).toFixed(1)} MiB of files (both held in memory by the bench itself)`,
);

const python = '/usr/bin/python3';
const cli = new URL('../apps/cli/dist/mljudge.mjs', import.meta.url).pathname;
const hasPandas = spawnSync(python, ['-c', 'import pandas, sklearn'], { stdio: 'ignore' }).status === 0;
if (!existsSync(cli)) console.log('\n(no built CLI: npm run build, for the whole-process comparison)');
else {
  const wall = (command: string, args: string[]) => {
    const started = performance.now();
    const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
    return { ms: performance.now() - started, stdout: result.stdout };
  };
  const ours: number[] = [];
  const theirs: number[] = [];
  const theirWork: number[] = [];
  for (let round = 0; round < Math.max(5, Math.ceil(rounds / 2)); round++) {
    ours.push(
      wall(process.execPath, [cli, 'score', '--task', dir, '--submission', `${dir}/submission.csv`, '--json']).ms,
    );
    if (!hasPandas) continue;
    const run = wall(python, [new URL('./pandas_hw2.py', import.meta.url).pathname, dir]);
    theirs.push(run.ms);
    theirWork.push((JSON.parse(run.stdout) as { workMs: number }).workMs);
  }
  const row = (label: string, values: number[]) => {
    const s = stats(values);
    return `| ${label} | ${s.min.toFixed(0)} | ${s.median.toFixed(0)} | ${s.max.toFixed(0)} |`;
  };
  console.log('\n| whole process (ms) | min | median | max |');
  console.log('|---|---:|---:|---:|');
  console.log(row('mljudge score (built CLI)', ours));
  if (hasPandas) {
    console.log(row('pandas + scikit-learn script', theirs));
    console.log(row('pandas + scikit-learn, work only (read, merge, score)', theirWork));
    console.log(
      `\nin-process: scoreSubmission ${(stats(theirWork).median / stats(times.score!).median).toFixed(1)}x faster than pandas + scikit-learn's work; whole process: mljudge score ${(stats(theirs).median / stats(ours).median).toFixed(1)}x faster`,
    );
  } else console.log('\n(no pandas + scikit-learn for /usr/bin/python3: no baseline)');
}
