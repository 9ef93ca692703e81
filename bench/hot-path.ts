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
 * without imports), where /usr/bin/python3 (or PANDAS_PYTHON) has pandas and scikit-learn; with GNU
 * time, the peak RSS of each. With --profile, it also samples the CPU through 50 warm scoreSubmission
 * calls and prints where their time goes, by package and by function.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { startThread } from '@mljudge/runtime';
import { loadTask, loadTaskWithSnapshot, scoreSubmission } from '@mljudge/scoring';
import { writeHw2 } from './hw2-input.ts';
import { summarizeProfile, type CpuProfile } from './cpu-profile.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '15' }, dir: { type: 'string' }, profile: { type: 'boolean' } },
});
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
const snapshot = loadTaskWithSnapshot(taskYaml, solution, null).snapshot!;
const snapshotPath = `${dir}/solution.snapshot`;
writeFileSync(snapshotPath, snapshot);
const variants: Record<string, () => unknown> = {
  floor: () => countLines(submission),
  score: () => scoreSubmission(task, submission).public.value,
  load: () => (task = loadTask(taskYaml, solution)),
  'load (snapshot)': () => (task = loadTaskWithSnapshot(taskYaml, solution, readFileSync(snapshotPath)).task),
};
const times: Record<string, number[]> = { floor: [], score: [], load: [], 'load (snapshot)': [] };
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

console.log(`snapshot of the loaded solution: ${(snapshot.length / 1048576).toFixed(1)} MiB`);

if (values.profile) {
  // Sampled after the timed rounds, so the profiler's overhead is in none of the figures above.
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  for (let call = 0; call < 50; call++) scoreSubmission(task, submission);
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  const summary = summarizeProfile(profile, (busy) => `### 50 warm scoreSubmission calls: ${busy}`, 15);
  console.log(summary?.join('\n') ?? '(the profile was idle)');
}

// A fresh scoring thread's first job (load + score) against its own warm jobs, with and without the
// snapshot, alternating.
const fresh: Record<string, { first: number[]; warm: number[] }> = {
  'fresh worker as started: warmed up, live task preloaded from its snapshot': { first: [], warm: [] },
  'fresh thread, warmed up at start, snapshot': { first: [], warm: [] },
  'fresh thread, snapshot': { first: [], warm: [] },
  'fresh thread, CSV': { first: [], warm: [] },
};
for (let round = 0; round < Math.max(5, Math.ceil(rounds / 2)); round++) {
  for (const [name, result] of Object.entries(fresh)) {
    const thread = startThread(new URL('./hot-path-thread.ts', import.meta.url), {
      workerData: {
        dir,
        snapshot: name.includes('snapshot') ? snapshotPath : null,
        warmUp: name.includes('warmed up'),
        preload: name.includes('preloaded'),
      },
    });
    const [{ firstMs, warmMs }] = (await once(thread, 'message')) as [{ firstMs: number; warmMs: number }];
    await thread.terminate();
    result.first.push(firstMs);
    result.warm.push(warmMs);
  }
}
console.log(
  '\n| first job of a fresh scoring thread | first job ms (min / median / max) | warm job ms (median) | first / warm |',
);
console.log('|---|---:|---:|---:|');
for (const [name, result] of Object.entries(fresh)) {
  const first = stats(result.first);
  const warm = stats(result.warm).median;
  console.log(
    `| ${name} | ${first.min.toFixed(1)} / ${first.median.toFixed(1)} / ${first.max.toFixed(1)} | ${warm.toFixed(1)} | ${(first.median / warm).toFixed(1)}x |`,
  );
}

const python = process.env.PANDAS_PYTHON ?? '/usr/bin/python3';
const cli = new URL('../apps/cli/dist/mljudge.mjs', import.meta.url).pathname;
const hasPandas = spawnSync(python, ['-c', 'import pandas, sklearn'], { stdio: 'ignore' }).status === 0;
if (!existsSync(cli)) console.log('\n(no built CLI: npm run build, for the whole-process comparison)');
else {
  // GNU time reports the child's peak RSS (KiB) on stderr's last line, where the machine has it.
  const hasTime = existsSync('/usr/bin/time');
  const wall = (command: string, args: string[]) => {
    const started = performance.now();
    const result = hasTime
      ? spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 })
      : spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
    const peakKiB = hasTime ? Number(result.stderr.trim().split('\n').at(-1)) : Number.NaN;
    return { ms: performance.now() - started, stdout: result.stdout, peakMiB: peakKiB / 1024 };
  };
  const ours: number[] = [];
  const ourPeak: number[] = [];
  const theirs: number[] = [];
  const theirPeak: number[] = [];
  const theirWork: number[] = [];
  const bare: number[] = [];
  const cliAlone: number[] = [];
  for (let round = 0; round < Math.max(5, Math.ceil(rounds / 2)); round++) {
    const run = wall(process.execPath, [
      cli,
      'score',
      '--task',
      dir,
      '--submission',
      `${dir}/submission.csv`,
      '--json',
    ]);
    ours.push(run.ms);
    ourPeak.push(run.peakMiB);
    bare.push(wall(process.execPath, ['-e', '0']).peakMiB);
    cliAlone.push(wall(process.execPath, [cli, '--help']).peakMiB);
    if (!hasPandas) continue;
    const theirRun = wall(python, [new URL('./pandas_hw2.py', import.meta.url).pathname, dir]);
    theirs.push(theirRun.ms);
    theirPeak.push(theirRun.peakMiB);
    theirWork.push((JSON.parse(theirRun.stdout) as { workMs: number }).workMs);
  }
  const peak = (values: number[]) => (values.length ? `${stats(values).median.toFixed(0)}` : 'n/a');
  const row = (label: string, values: number[], peaks: number[]) => {
    const s = stats(values);
    return `| ${label} | ${s.min.toFixed(0)} | ${s.median.toFixed(0)} | ${s.max.toFixed(0)} | ${peak(peaks)} |`;
  };
  const files = (submission.length + solution.length) / 1048576;
  console.log('\n| whole process (ms) | min | median | max | peak RSS MiB |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(row('mljudge score (built CLI)', ours, ourPeak));
  if (hasPandas) {
    console.log(row('pandas + scikit-learn script', theirs, theirPeak));
    console.log(row('pandas + scikit-learn, work only (read, merge, score)', theirWork, []));
  }
  console.log(
    `\npeak RSS of mljudge score above a bare \`node -e 0\` (${peak(bare)} MiB): ${(stats(ourPeak).median - stats(bare).median).toFixed(0)} MiB for ${files.toFixed(1)} MiB of files (${((stats(ourPeak).median - stats(bare).median) / files).toFixed(1)}x)`,
  );
  console.log(
    `peak RSS of mljudge score above the CLI's own start (\`mljudge --help\`, ${peak(cliAlone)} MiB): ${(stats(ourPeak).median - stats(cliAlone).median).toFixed(0)} MiB (${((stats(ourPeak).median - stats(cliAlone).median) / files).toFixed(1)}x the files)`,
  );
  if (hasPandas) {
    console.log(
      `\nin-process: scoreSubmission ${(stats(theirWork).median / stats(times.score!).median).toFixed(1)}x faster than pandas + scikit-learn's work; whole process: mljudge score ${(stats(theirs).median / stats(ours).median).toFixed(1)}x faster`,
    );
  } else console.log(`\n(no pandas + scikit-learn for ${python}: no baseline; PANDAS_PYTHON names another)`);
}
