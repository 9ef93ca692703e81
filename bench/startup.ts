/**
 * `node --import tsx bench/startup.ts [--rounds N]`: how long the built CLI takes to start for
 * commands that touch no network, against `node -e 0` (the floor: Node's own start), as whole
 * processes, variants interleaved round by round so that load hits each alike. Reports wall time
 * min / median / max, the ratio of medians to the floor, and peak RSS. Needs `npm run build` first
 * (apps/cli/dist/mljudge.mjs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '21' } } });
const rounds = Number(values.rounds);
const cli = fileURLToPath(new URL('../apps/cli/dist/mljudge.mjs', import.meta.url));
if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);

const variants: Record<string, readonly string[]> = {
  'node -e 0 (floor)': ['-e', '0'],
  'mljudge --help': [cli, '--help'],
  'mljudge score --help': [cli, 'score', '--help'],
  'mljudge submit (no token: exits 4)': [cli, 'submit', 'hw1', 'pred.csv'],
};

/** Wall time of one process, in milliseconds (no token and no config file: nothing reaches a network). */
function once(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, MLJUDGE_TOKEN: '', HOME: '/nonexistent' },
  });
  if (result.error) throw result.error;
  return performance.now() - started;
}

/** Peak RSS of one run, through /usr/bin/time where the machine has it. */
function peakRss(args: readonly string[]): number | null {
  if (!existsSync('/usr/bin/time')) return null;
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8' });
  const kib = Number(result.stderr.trim().split('\n').pop());
  return Number.isFinite(kib) ? kib / 1024 : null;
}

const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
const loads: number[] = [];
for (const args of Object.values(variants)) once(args); // warm the file cache
for (let round = 0; round < rounds; round++) {
  loads.push(loadavg()[0]!);
  for (const [name, args] of Object.entries(variants)) times[name]!.push(once(args));
}
const stats = (numbers: readonly number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
};
const floor = stats(times['node -e 0 (floor)']!).median;
console.log(
  `# bench/startup.ts: ${rounds} interleaved rounds, Node ${process.version}, load ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)}\n`,
);
console.log('| command | min ms | median ms | max ms | median / floor | extra over floor (ms) | peak RSS MiB |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, args] of Object.entries(variants)) {
  const { min, median, max } = stats(times[name]!);
  const rss = peakRss(args);
  console.log(
    `| ${name} | ${min.toFixed(0)} | ${median.toFixed(0)} | ${max.toFixed(0)} | ${(median / floor).toFixed(2)}x | ${(median - floor).toFixed(0)} | ${rss === null ? 'n/a' : rss.toFixed(0)} |`,
  );
}
