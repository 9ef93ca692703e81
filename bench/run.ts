/**
 * `npm run bench`: every comparison runs here, on inputs generated in this run, each variant in its own
 * process. Prints Markdown tables with ratios against the baseline of the same run.
 * Set BENCH_QUICK=1 for a smaller, faster pass (10^6 rows only).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from '@mljudge/course-pack';
import { measure, table, type Measurement } from './measure.ts';

const here = fileURLToPath(new URL('./', import.meta.url));
const out = `${here}.out`;
mkdirSync(out, { recursive: true });
const quick = process.env.BENCH_QUICK === '1';
const tsx = ['--import', 'tsx'];

function writeHw2(dir: string, rows: number): void {
  mkdirSync(dir, { recursive: true });
  const random = new SeededRandom(646268);
  const solution = ['Id,Class,Usage'];
  const submission = ['Id,Class'];
  let current = 0;
  for (let id = 0; id < rows; id++) {
    if (random.next() < 0.12) current = random.integer(41);
    solution.push(`${id},${current},${random.next() < 0.5 ? 'Public' : 'Private'}`);
    submission.push(`${id},${random.next() < 0.75 ? current : random.integer(41)}`);
  }
  writeFileSync(`${dir}/solution.csv`, `${solution.join('\n')}\n`);
  writeFileSync(`${dir}/submission.csv`, `${submission.join('\n')}\n`);
  writeFileSync(`${dir}/task.yaml`, 'slug: hw2-bench\ntitle: bench\nformat: csv\nid_column: Id\ntarget_column: Class\nmetric: accuracy\n');
}

function writeMetricInput(file: string, rows: number): void {
  if (existsSync(file)) return;
  const random = new SeededRandom(rows);
  const lines = ['y_true,y_pred,y_score'];
  for (let i = 0; i < rows; i++) {
    const t = random.integer(41);
    const p = random.next() < 0.6 ? t : random.integer(41);
    lines.push(`${t},${p},${(random.next() * 0.7 + (t % 2) * 0.3).toFixed(4)}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

const report: string[] = ['# mljudge benchmarks', '', `node ${process.version}, ${new Date().toISOString()}`];

// 1. CSV scoring at HW2 size (issue 2).
const hw2 = `${out}/hw2`;
writeHw2(hw2, 646_268);
const csvRows: Measurement[] = [
  await measure('csv-parse + Map + loop (baseline)', process.execPath, [...tsx, `${here}csv-variants.ts`, 'csv-parse', hw2]),
  await measure('mljudge scoreSubmission', process.execPath, [...tsx, `${here}csv-variants.ts`, 'mljudge', hw2]),
];
report.push(table('HW2-size CSV (646,268 rows): parse + validate + accuracy on both splits', csvRows, 'csv-parse + Map + loop (baseline)'));

// 2. Metrics vs scikit-learn (issue 3).
const python = '/usr/bin/python3';
const sklearnAvailable = spawnSync(python, ['-c', 'import sklearn, pandas'], { stdio: 'ignore' }).status === 0;
for (const rows of quick ? [1_000_000] : [1_000_000, 10_000_000]) {
  const file = `${out}/metrics-${rows}.csv`;
  writeMetricInput(file, rows);
  const measurements: Measurement[] = [];
  const details: string[] = [];
  if (sklearnAvailable) measurements.push(await measure('scikit-learn 1.2.1 + pandas read_csv (baseline)', python, [`${here}sklearn_metrics.py`, file], quick ? 1 : 2));
  measurements.push(await measure('mljudge', process.execPath, [...tsx, `${here}metric-variants.ts`, file], quick ? 1 : 2));
  for (const [label, command, args] of [
    ...(sklearnAvailable ? [['scikit-learn', python, [`${here}sklearn_metrics.py`, file]] as const] : []),
    ['mljudge', process.execPath, [...tsx, `${here}metric-variants.ts`, file]] as const,
  ]) {
    const once = JSON.parse(spawnSync(command, [...args], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout.trim().split('\n').pop()!);
    details.push(`| ${label} | ${once.parseMs.toFixed(0)} | ${once.accuracyMs.toFixed(1)} | ${once.f1Ms.toFixed(1)} | ${once.aucMs.toFixed(0)} |`);
  }
  if (sklearnAvailable) {
    report.push(table(`Accuracy + macro-F1 + ROC AUC at ${rows.toLocaleString('en')} rows, parse included`, measurements, 'scikit-learn 1.2.1 + pandas read_csv (baseline)'));
  } else {
    report.push(`\n(scikit-learn or pandas not installed for /usr/bin/python3: apt-get install python3-sklearn python3-pandas)`);
    report.push(table(`Accuracy + macro-F1 + ROC AUC at ${rows.toLocaleString('en')} rows`, measurements));
  }
  report.push('', '| one run, ms | parse | accuracy | macro-F1 | ROC AUC |', '|---|---:|---:|---:|---:|', ...details);
}

// 3. Corpus BLEU throughput (issue 3). sacreBLEU itself cannot be installed here (not in Debian, no PyPI).
const bleuRows: Measurement[] = [];
for (const [segments, references] of [[3000, 1], [3000, 2], [100_000, 1], [100_000, 2]] as const) {
  for (const tokenize of ['13a', 'zh'] as const) {
    bleuRows.push(await measure(`${segments.toLocaleString('en')} segments, ${references} ref, ${tokenize}`, process.execPath, [...tsx, `${here}bleu-variant.ts`, String(segments), String(references), tokenize], 1));
  }
}
report.push(table('Corpus BLEU throughput (ours only: sacreBLEU is not installable here; ENVIRONMENT.md measured it at about 11K segments/s with one reference on this machine type)', bleuRows));

const text = report.join('\n');
writeFileSync(`${out}/report.md`, `${text}\n`);
process.stdout.write(`${text}\n\n(written to bench/.out/report.md)\n`);
