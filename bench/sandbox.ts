/**
 * `node --import tsx bench/sandbox.ts [--runs N]`: what the sandbox costs per submission. The same
 * scoring program, on the same upload, runs through scoreWithProgram in the bubblewrap sandbox (what
 * the worker does) and as a plain process (the same path unconfined: the baseline), alternating
 * A, B, A, B so that load on the machine hits both alike; ratios are taken pair by pair.
 *
 * Both run /usr/bin/python3 (the interpreter the sandbox shows), so only the sandbox differs.
 *
 * Two programs: one that only answers (start-up cost alone: Python plus the sandbox), and HW12's
 * replay of five 500-step cart-pole stand-in episodes (a program with real work).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hw12Reinforcement, SeededRandom } from '@mljudge/course-pack';
import { probeSandbox } from '@mljudge/sandbox';
import { scoreWithProgram, taskDefinitionFromConfig } from '@mljudge/scoring';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } });
const runs = Number(values.runs);

const probe = await probeSandbox();
if (!probe.ok) throw new Error(`no sandbox here: ${probe.reason}`);

function hw12Bundle(): { directory: string; upload: string } {
  const directory = mkdtempSync(path.join(tmpdir(), 'mljudge-bench-sandbox-'));
  const programDir = path.join(directory, 'program');
  mkdirSync(programDir);
  const bundle = hw12Reinforcement.generate(new SeededRandom(1));
  for (const [name, content] of Object.entries(bundle.files ?? {})) writeFileSync(path.join(directory, name), content);
  writeFileSync(
    path.join(programDir, 'episodes.json'),
    JSON.stringify({ environment: 'cartpole-stand-in', seed: 543, episodes: 5 }),
  );
  const upload = path.join(directory, 'Action_List.npy');
  execFileSync('python3', ['play.py', upload, 'lean'], { cwd: programDir });
  writeFileSync(path.join(programDir, 'answer.py'), 'print(\'{"scores": {"public": {"mean_reward": 1}}}\')\n');
  return { directory, upload };
}

const { directory, upload } = hw12Bundle();
const programDir = path.join(directory, 'program');
const task = (command: string) =>
  taskDefinitionFromConfig({
    slug: 'bench',
    title: 'bench',
    format: 'program',
    program: { command: ['/usr/bin/python3', command], sample: 'sample_actions.npy', splits: ['public'] },
    metric: { name: 'mean_reward', direction: 'higher' },
  });

async function timed(definition: ReturnType<typeof task>, unconfined: boolean): Promise<number> {
  const started = performance.now();
  const report = await scoreWithProgram(definition, { programDir, submissionPath: upload, unconfined });
  const elapsed = performance.now() - started;
  if (!Number.isFinite(report.public.value)) throw new Error('no score');
  return elapsed;
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
};
const ms = (value: number) => value.toFixed(1);

console.log(
  `# bench/sandbox.ts: ${runs} alternating pairs per program, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(
      ' ',
    )}, ${process.getuid?.() === 0 ? 'root (a fresh uid per sandbox, inputs copied)' : 'unprivileged (own uid)'}`,
);
console.log('');
console.log(
  '| program | plain process ms min/median/max | sandboxed ms min/median/max | overhead ms (median of pairs) | ratio (median of pairs) |',
);
console.log('|---|---|---|---|---|');
for (const [label, command] of [
  ['answer only (start-up)', 'answer.py'],
  ['HW12 replay, 5 x 500 steps', 'replay.py'],
] as const) {
  const definition = task(command);
  await timed(definition, true); // warm the page cache for both
  await timed(definition, false);
  const plain: number[] = [];
  const sandboxed: number[] = [];
  for (let run = 0; run < runs; run++) {
    plain.push(await timed(definition, true));
    sandboxed.push(await timed(definition, false));
  }
  const ratios = stats(sandboxed.map((value, index) => value / plain[index]!));
  const overheads = stats(sandboxed.map((value, index) => value - plain[index]!));
  const a = stats(plain);
  const b = stats(sandboxed);
  console.log(
    `| ${label} | ${ms(a.min)} / ${ms(a.median)} / ${ms(a.max)} | ${ms(b.min)} / ${ms(b.median)} / ${ms(b.max)} | ${ms(overheads.median)} | ${ratios.median.toFixed(2)}x |`,
  );
}
console.log(
  `\nload after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
