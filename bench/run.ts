/**
 * `npm run bench`: every comparison runs here, on inputs generated in this run, each variant in its own
 * process, the variants taking turns round by round. Prints Markdown tables with min / median / max,
 * peak RSS and ratios against the baseline of the same run, round by round as well.
 * Set BENCH_QUICK=1 for a smaller, faster pass (10^6 rows only, at most two rounds).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from '@mljudge/course-pack';
import { writeHw2 } from './hw2-input.ts';
import { compareInterleaved, comparisonTable, roundByRound, type Variant } from './measure.ts';

const here = fileURLToPath(new URL('./', import.meta.url));
const out = `${here}.out`;
mkdirSync(out, { recursive: true });
const quick = process.env.BENCH_QUICK === '1';
/** BENCH_ONLY=csv|metrics|bleu|onnx runs one section. */
const only = process.env.BENCH_ONLY;
const wanted = (section: string) => only === undefined || only === section;
const tsx = ['--import', 'tsx'];
const rounds = (full: number) => (quick ? Math.min(2, full) : full);

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
if (wanted('csv')) {
  const hw2 = `${out}/hw2`;
  writeHw2(hw2, 646_268);
  const baseline = 'csv-parse + Map + loop (baseline)';
  const comparison = await compareInterleaved(
    [
      { name: baseline, command: process.execPath, args: [...tsx, `${here}csv-variants.ts`, 'csv-parse', hw2] },
      {
        name: 'mljudge scoreSubmission',
        command: process.execPath,
        args: [...tsx, `${here}csv-variants.ts`, 'mljudge', hw2],
      },
    ],
    rounds(5),
  );
  report.push(
    comparisonTable('HW2-size CSV (646,268 rows): parse + validate + accuracy on both splits', comparison, baseline),
  );
}

// 2. Metrics vs scikit-learn (issue 3).
// The same Python as bench/hot-path.ts: PANDAS_PYTHON, or the system's (Debian's python3-sklearn).
const python = process.env.PANDAS_PYTHON ?? '/usr/bin/python3';
const sklearnVersion = spawnSync(python, ['-c', 'import sklearn, pandas; print(sklearn.__version__)'], {
  encoding: 'utf8',
});
const sklearnAvailable = sklearnVersion.status === 0;
for (const rows of !wanted('metrics') ? [] : quick ? [1_000_000] : [1_000_000, 10_000_000]) {
  const file = `${out}/metrics-${rows}.csv`;
  writeMetricInput(file, rows);
  const details: string[] = [];
  const baseline = `scikit-learn ${sklearnVersion.stdout.trim()} + pandas read_csv (baseline)`;
  const variants: Variant[] = [
    ...(sklearnAvailable ? [{ name: baseline, command: python, args: [`${here}sklearn_metrics.py`, file] }] : []),
    { name: 'mljudge', command: process.execPath, args: [...tsx, `${here}metric-variants.ts`, file] },
  ];
  const comparison = await compareInterleaved(variants, rounds(3));
  for (const [label, command, args] of [
    ...(sklearnAvailable ? [['scikit-learn', python, [`${here}sklearn_metrics.py`, file]] as const] : []),
    ['mljudge', process.execPath, [...tsx, `${here}metric-variants.ts`, file]] as const,
  ]) {
    const once = JSON.parse(
      spawnSync(command, [...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
        .stdout.trim()
        .split('\n')
        .pop()!,
    );
    details.push(
      `| ${label} | ${once.parseMs.toFixed(0)} | ${once.accuracyMs.toFixed(1)} | ${once.f1Ms.toFixed(1)} | ${once.aucMs.toFixed(0)} |`,
    );
  }
  const title = `Accuracy + macro-F1 + ROC AUC at ${rows.toLocaleString('en')} rows, parse included`;
  if (!sklearnAvailable)
    report.push(
      `\n(scikit-learn or pandas not installed for ${python}: apt-get install python3-sklearn python3-pandas, or set PANDAS_PYTHON)`,
    );
  report.push(comparisonTable(title, comparison, sklearnAvailable ? baseline : undefined));
  report.push('', '| one run, ms | parse | accuracy | macro-F1 | ROC AUC |', '|---|---:|---:|---:|---:|', ...details);
}

// 3. Corpus BLEU against sacreBLEU 2.6.0 (issue 3), both reading the same generated files.
function writeCorpus(dir: string, segments: number, references: number, tokenize: string): void {
  mkdirSync(dir, { recursive: true });
  const random = new SeededRandom(segments * 10 + references);
  const english = [
    'the',
    'model',
    'is',
    'large',
    'and',
    'we',
    'went',
    'to',
    'school',
    'today',
    'translation',
    'is',
    'hard',
    '.',
    ',',
    '"',
    'U.S.',
    '3.5',
    'e-mail',
    "don't",
  ];
  const chinese = Array.from('我們今天去學校這個模型很大翻譯非常困難他說你好世界。，「」！？');
  const vocabulary = tokenize === 'zh' ? chinese : english;
  const sentence = (length: number) =>
    Array.from({ length }, () => vocabulary[random.integer(vocabulary.length)]).join(tokenize === 'zh' ? '' : ' ');
  const hypotheses = Array.from({ length: segments }, () => sentence(8 + random.integer(25)));
  writeFileSync(`${dir}/hyp.txt`, `${hypotheses.join('\n')}\n`);
  for (let r = 0; r < references; r++)
    writeFileSync(
      `${dir}/ref${r}.txt`,
      `${hypotheses.map((h) => (random.next() < 0.5 ? h : sentence(8 + random.integer(25)))).join('\n')}\n`,
    );
}

/** A Python with sacreBLEU 2.6.0: SACREBLEU_PYTHON, or a venv under bench/.out made on first use. */
function sacrebleuPython(): string | null {
  const candidates = [process.env.SACREBLEU_PYTHON, `${out}/venv/bin/python`].filter((p): p is string => Boolean(p));
  const works = (python: string) => spawnSync(python, ['-c', 'import sacrebleu'], { stdio: 'ignore' }).status === 0;
  for (const python of candidates) if (existsSync(python) && works(python)) return python;
  process.stdout.write('(installing sacreBLEU 2.6.0 into bench/.out/venv for the comparison)\n');
  if (spawnSync('python3', ['-m', 'venv', `${out}/venv`], { stdio: 'ignore' }).status !== 0) return null;
  // One try with a short timeout: on a machine without the package index (PIP_INDEX_URL may point at
  // a local mirror) this fails in seconds instead of retrying for a minute.
  spawnSync(`${out}/venv/bin/pip`, ['install', '-q', '--retries', '0', '--timeout', '5', 'sacrebleu==2.6.0'], {
    stdio: 'ignore',
  });
  return works(`${out}/venv/bin/python`) ? `${out}/venv/bin/python` : null;
}

const sacrebleu = wanted('bleu') ? sacrebleuPython() : null;
for (const [segments, references] of !wanted('bleu')
  ? []
  : ([
      [3000, 1],
      [3000, 2],
      [100_000, 1],
      [100_000, 2],
    ] as const)) {
  for (const tokenize of ['13a', 'zh'] as const) {
    const dir = `${out}/bleu-${segments}-${references}-${tokenize}`;
    writeCorpus(dir, segments, references, tokenize);
    const baseline = 'sacreBLEU 2.6.0 (baseline)';
    const variants: Variant[] = [
      ...(sacrebleu ? [{ name: baseline, command: sacrebleu, args: [`${here}sacrebleu_bleu.py`, dir, tokenize] }] : []),
      {
        name: 'mljudge corpusBleu',
        command: process.execPath,
        args: [...tsx, `${here}bleu-variant.ts`, dir, tokenize],
      },
    ];
    report.push(
      comparisonTable(
        `Corpus BLEU, ${segments.toLocaleString('en')} segments, ${references} reference${references > 1 ? 's' : ''}, tokenize=${tokenize}`,
        await compareInterleaved(variants, rounds(3)),
        sacrebleu ? baseline : undefined,
      ),
    );
  }
}
if (wanted('bleu') && !sacrebleu)
  report.push('\n(sacreBLEU could not be installed here: BLEU rows show our throughput only)');

// 4. ONNX model scoring (issue 4): a ResNet-18-shaped model at 3x128x128 over 3,000 hidden images.
const ONNX_ROUNDS = 3;
if (wanted('onnx')) {
  const torchPython = process.env.TORCH_PYTHON ?? `${out}/torch-venv/bin/python`;
  const onnxPython = process.env.ONNX_PYTHON ?? `${out}/onnx-venv/bin/python`;
  const imports = (python: string, modules: string) =>
    existsSync(python) && spawnSync(python, ['-c', `import ${modules}`], { stdio: 'ignore' }).status === 0;
  const hasTorch = imports(torchPython, 'torch, onnx');
  // Without torch the model is built with the onnx package alone: the onnxruntime rows still run.
  const builder = hasTorch ? torchPython : imports(onnxPython, 'onnx, numpy') ? onnxPython : undefined;
  if (builder === undefined) {
    report.push(
      '\n(ONNX: needs a Python with onnx and numpy to build the model, and torch for its baseline row: set TORCH_PYTHON or ONNX_PYTHON, or make bench/.out/torch-venv with pip install torch onnx numpy)',
    );
  } else {
    const resnet = `${out}/resnet`;
    if (!existsSync(`${resnet}/model.onnx`))
      spawnSync(builder, [`${here}make_resnet18.py`, resnet], { stdio: 'inherit' });
    // Interleaved A, B, A, B: load on the machine hits the floor and the worker path alike, and each
    // pair's ratio is reported with the load it ran under.
    const baseline = 'bare session.run loop (baseline)';
    const worker = 'mljudge worker path (runner process, checks, metrics)';
    const variants: Variant[] = [
      { name: baseline, command: process.execPath, args: [...tsx, `${here}onnx-variants.ts`, 'bare', resnet] },
      { name: worker, command: process.execPath, args: [...tsx, `${here}onnx-variants.ts`, 'worker', resnet] },
      ...(hasTorch
        ? [
            {
              name: 'torch CPU (same model, inputs, batches)',
              command: torchPython,
              args: [`${here}make_resnet18.py`, resnet, '--torch'],
            },
          ]
        : []),
    ];
    const comparison = await compareInterleaved(variants, ONNX_ROUNDS);
    if (!hasTorch) report.push('\n(ONNX: no torch here, so no torch row; the model was built with the onnx package)');
    report.push(
      comparisonTable(
        'ResNet-18 (11.2M parameters) at 3x128x128, 3,000 hidden images, batch 32, CPU',
        comparison,
        baseline,
      ),
      `\nPairs (worker path speed / bare loop speed): ${roundByRound(comparison, baseline, worker)}`,
    );
  }
}

const text = report.join('\n');
writeFileSync(`${out}/report.md`, `${text}\n`);
process.stdout.write(`${text}\n\n(written to bench/.out/report.md)\n`);
