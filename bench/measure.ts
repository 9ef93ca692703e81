/**
 * Benchmark plumbing for `npm run bench`: each variant runs in its own child process, so that its
 * peak memory (max RSS) is its own, and the variants of a comparison take turns round by round
 * (A, B, A, B, ...) on the same input files, so that load on the machine hits each of them alike.
 * Every round's ratio is kept with the load it ran under, not only the ratio of medians.
 */
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A child that prints one JSON line {ms, result, maxRssKiB}, timing only the work, not its start. */
export interface Variant {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
}

export interface VariantTimes {
  readonly name: string;
  /** Wall time of each round's run, in milliseconds, in round order. */
  readonly ms: readonly number[];
  readonly peakRssMiB: number;
  /** Whatever the variant printed as its result, to check the variants agree. */
  readonly result: string;
}

export interface Comparison {
  readonly variants: readonly VariantTimes[];
  /** The one-minute load average as each round started. */
  readonly loads: readonly number[];
}

async function runOnce(variant: Variant): Promise<{ ms: number; result: string; peakRssMiB: number }> {
  const { stdout } = await run(variant.command, [...variant.args], {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env },
  });
  const parsed = JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number; result: string; maxRssKiB: number };
  return { ms: parsed.ms, result: parsed.result, peakRssMiB: parsed.maxRssKiB / 1024 };
}

/** Runs every variant once per round, in the order given, for `rounds` rounds. */
export async function compareInterleaved(variants: readonly Variant[], rounds: number): Promise<Comparison> {
  const times = variants.map(() => [] as number[]);
  const peaks = variants.map(() => 0);
  const results = variants.map(() => '');
  const loads: number[] = [];
  for (let round = 0; round < rounds; round++) {
    loads.push(loadavg()[0]!);
    for (const [i, variant] of variants.entries()) {
      const once = await runOnce(variant);
      times[i]!.push(once.ms);
      peaks[i] = Math.max(peaks[i]!, once.peakRssMiB);
      results[i] = once.result;
    }
  }
  return {
    variants: variants.map((variant, i) => ({
      name: variant.name,
      ms: times[i]!,
      peakRssMiB: peaks[i]!,
      result: results[i]!,
    })),
    loads,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * A Markdown table: min / median / max and peak RSS of each variant and, with a baseline, the ratio
 * of medians (baseline time / its time) and the spread of the same ratio round by round.
 */
export function comparisonTable(title: string, comparison: Comparison, baseline?: string): string {
  const reference = comparison.variants.find((row) => row.name === baseline);
  const rounds = comparison.loads.length;
  const lines = [
    `\n## ${title}`,
    '',
    `${rounds} interleaved round${rounds === 1 ? '' : 's'}, load ${Math.min(...comparison.loads).toFixed(2)}–${Math.max(...comparison.loads).toFixed(2)}`,
    '',
    reference
      ? '| variant | min ms | median ms | max ms | peak RSS MiB | speed-up vs baseline (medians) | round by round | result |'
      : '| variant | min ms | median ms | max ms | peak RSS MiB | result |',
    reference ? '|---|---:|---:|---:|---:|---:|---:|---|' : '|---|---:|---:|---:|---:|---|',
  ];
  for (const row of comparison.variants) {
    const cells = [
      row.name,
      Math.min(...row.ms).toFixed(1),
      median(row.ms).toFixed(1),
      Math.max(...row.ms).toFixed(1),
      row.peakRssMiB.toFixed(0),
    ];
    if (reference) {
      if (row === reference) cells.push('baseline', '');
      else {
        const perRound = row.ms.map((ms, round) => reference.ms[round]! / ms);
        cells.push(
          `${(median(reference.ms) / median(row.ms)).toFixed(2)}x`,
          `${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}x`,
        );
      }
    }
    cells.push(row.result);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Each round's ratio of a variant to the baseline, with the load it ran under. */
export function roundByRound(comparison: Comparison, baseline: string, variant: string): string {
  const reference = comparison.variants.find((row) => row.name === baseline)!;
  const row = comparison.variants.find((candidate) => candidate.name === variant)!;
  return row.ms
    .map((ms, round) => `${(reference.ms[round]! / ms).toFixed(2)}x at load ${comparison.loads[round]!.toFixed(2)}`)
    .join(', ');
}
