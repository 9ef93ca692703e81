/**
 * Benchmark plumbing: each variant runs in its own child process so that its peak memory (max RSS) is
 * its own, and every variant of a comparison runs in the same `npm run bench` on the same input files.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Measurement {
  readonly name: string;
  /** Median wall time of the repetitions, in milliseconds. */
  readonly ms: number;
  readonly peakRssMiB: number;
  /** Whatever the variant printed as its result, to check both agree. */
  readonly result: string;
}

/**
 * Runs `command args` `repetitions` times; the child prints one JSON line {ms, result} (timing only
 * the work, not process start) and we read its max RSS from /usr/bin/time-free getrusage via Node.
 */
export async function measure(
  name: string,
  command: string,
  args: readonly string[],
  repetitions = 3,
): Promise<Measurement> {
  const times: number[] = [];
  let peak = 0;
  let result = '';
  for (let i = 0; i < repetitions; i++) {
    const { stdout } = await run(command, [...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env } });
    const line = stdout.trim().split('\n').pop()!;
    const parsed = JSON.parse(line) as { ms: number; result: string; maxRssKiB: number };
    times.push(parsed.ms);
    peak = Math.max(peak, parsed.maxRssKiB / 1024);
    result = parsed.result;
  }
  times.sort((a, b) => a - b);
  return { name, ms: times[Math.floor(times.length / 2)]!, peakRssMiB: peak, result };
}

/** A Markdown table; with a baseline, each row also shows baseline time / its time. */
export function table(title: string, rows: readonly Measurement[], baseline?: string): string {
  const reference = baseline === undefined ? undefined : rows.find((row) => row.name === baseline);
  const header = reference
    ? '| variant | median ms | speed-up vs baseline | peak RSS MiB | result |'
    : '| variant | ms | peak RSS MiB | result |';
  const lines = [`\n## ${title}`, '', header, reference ? '|---|---:|---:|---:|---|' : '|---|---:|---:|---|'];
  for (const row of rows) {
    const cells = [row.name, row.ms.toFixed(1)];
    if (reference) cells.push(row === reference ? 'baseline' : `${(reference.ms / row.ms).toFixed(2)}x`);
    cells.push(row.peakRssMiB.toFixed(0), row.result);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
