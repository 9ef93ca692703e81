/**
 * `node --import tsx bench/images.ts [--rounds N] [--python PATH]`: the HW6 path for 1000 64x64 JPEGs
 * (the course pack's task and sample), ours against Python's, rounds interleaved (ours, Python, ours,
 * Python, ...) so that load on the machine hits both alike:
 *   - ours: readImageSet (tar-stream + mozjpeg WebAssembly), the feature evaluator (preprocess + onnxruntime, CPU),
 *     frechetDistance: in this process, warm;
 *   - Python: bench/pillow_torch_hw6.py (tarfile + Pillow, numpy preprocess, torch CPU with the same
 *     weights, scipy sqrtm FID), one process per round, imports excluded from its time.
 * Both FIDs are printed: they must agree. Then decode throughput alone, the candidates on the same
 * 1000 JPEGs: decodeImage (mozjpeg in WebAssembly, what readImageSet uses), sharp (native libvips),
 * and jpeg-js (pure JavaScript), with jpeg-js's largest pixel difference from Pillow's.
 * PATH is a Python with numpy, scipy, torch, onnx and Pillow (e.g. a venv on the local wheel mirror).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hw6Anime, writeBundle } from '@mljudge/course-pack';
import { decodeImage, readArchiveEntries, readImageSet } from '@mljudge/images';
import { frechetDistance } from '@mljudge/metrics';
import { checkBundleFiles, evaluatorOutputs, loadImageTask, scoreImages } from '@mljudge/scoring';
import jpeg from 'jpeg-js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '7' }, python: { type: 'string', default: 'python3' } },
});
const rounds = Number(values.rounds);
const out = new URL('./.out/images', import.meta.url).pathname;
const bundle = path.join(out, 'hw6-anime');
const evaluation = path.join(bundle, 'evaluation');
const samplePath = path.join(out, 'hw6-anime-submission.tgz');
if (!existsSync(path.join(evaluation, 'real_faces.tgz.fid-mu.npy'))) {
  await writeBundle(hw6Anime, out, 2023);
  await checkBundleFiles({
    taskYamlPath: path.join(bundle, 'task.yaml'),
    solutionPath: null,
    inputsPath: null,
    evaluationDir: evaluation,
  });
}
const archive = readFileSync(samplePath);
const task = await loadImageTask(readFileSync(path.join(bundle, 'task.yaml'), 'utf8'), evaluation, {
  providers: ['cpu'],
});
const extractor = task.rules.evaluators.find((evaluator) => evaluator.output === 'features')!;
const reference = task.references.get('fid')!;

async function ours() {
  const started = performance.now();
  const set = await readImageSet(archive, {
    archives: ['tar.gz'],
    type: 'jpeg',
    width: 64,
    height: 64,
    names: task.names,
    maxInflatedBytes: 1 << 30,
  });
  const decoded = performance.now();
  const features = await evaluatorOutputs(extractor, task.models.get(extractor.name)!, set.images, ['cpu']);
  const featured = performance.now();
  const fid = frechetDistance({ rows: set.images.length, dims: features.width, values: features.values }, reference);
  const done = performance.now();
  return {
    ms: done - started,
    decodeMs: decoded - started,
    featuresMs: featured - decoded,
    fidMs: done - featured,
    fid,
  };
}

const pythonArgs = [
  new URL('./pillow_torch_hw6.py', import.meta.url).pathname,
  samplePath,
  path.join(evaluation, extractor.model),
  path.join(evaluation, 'real_faces.tgz.fid-mu.npy'),
  path.join(evaluation, 'real_faces.tgz.fid-sigma.npy'),
];
const hasPython =
  spawnSync(values.python, ['-c', 'import numpy, scipy, torch, onnx, PIL'], { stdio: 'ignore' }).status === 0;
function python() {
  const started = performance.now();
  const result = spawnSync(values.python, pythonArgs, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout.trim().split('\n').pop()!) as ReturnType<typeof ours> extends Promise<infer T>
    ? T
    : never;
  return { ...parsed, wallMs: performance.now() - started };
}

type Stages = Awaited<ReturnType<typeof ours>>;
const mine: Stages[] = [];
const theirs: Array<Stages & { wallMs: number }> = [];
const loads: number[] = [];
await ours(); // warm: sharp's and onnxruntime's first load
const wholeTask: number[] = [];
for (let round = 0; round < rounds; round++) {
  loads.push(loadavg()[0]!);
  mine.push(await ours());
  if (hasPython) theirs.push(python());
  const started = performance.now();
  await scoreImages(task, archive, { providers: ['cpu'] });
  wholeTask.push(performance.now() - started);
}

const stats = (numbers: readonly number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
};
const cell = (numbers: readonly number[]) => {
  const { min, median, max } = stats(numbers);
  return `${min.toFixed(0)} / ${median.toFixed(0)} / ${max.toFixed(0)}`;
};
console.log(
  `# bench/images.ts: HW6, ${task.names.length} ${task.rules.width}x${task.rules.height} JPEGs (${(archive.length / 1024).toFixed(0)} KiB archive), ${rounds} interleaved rounds, load ${stats(loads).min.toFixed(2)}-${stats(loads).max.toFixed(2)}`,
);
console.log('\n| stage (ms, min / median / max) | ours | Python | Python / ours (medians) |');
console.log('|---|---:|---:|---:|');
for (const stage of ['decodeMs', 'featuresMs', 'fidMs', 'ms'] as const) {
  const a = mine.map((m) => m[stage]);
  const b = theirs.map((t) => t[stage]);
  const label = { decodeMs: 'read + decode', featuresMs: 'preprocess + features', fidMs: 'FID', ms: 'whole path' }[
    stage
  ];
  console.log(
    `| ${label} | ${cell(a)} | ${hasPython ? cell(b) : 'n/a'} | ${hasPython ? (stats(b).median / stats(a).median).toFixed(2) : 'n/a'}x |`,
  );
}
if (hasPython) {
  const pairs = mine.map((m, index) => theirs[index]!.ms / m.ms);
  console.log(`\nPair by pair (Python / ours, whole path): ${pairs.map((ratio) => ratio.toFixed(2)).join(', ')}`);
  console.log(
    `Python as a whole process (imports included): ${cell(theirs.map((t) => t.wallMs))} ms. FID ours ${mine[0]!.fid}, scipy ${theirs[0]!.fid} (relative difference ${(Math.abs(mine[0]!.fid - theirs[0]!.fid) / theirs[0]!.fid).toExponential(1)}).`,
  );
} else console.log(`\n(${values.python} lacks numpy, scipy, torch, onnx or Pillow: no Python baseline; pass --python)`);
console.log(`scoreImages (both evaluators, FID and AFD, as the worker runs it): ${cell(wholeTask)} ms.`);

// Decode throughput alone, interleaved: sharp against jpeg-js.
const entries = await readArchiveEntries(archive, ['tar.gz'], { maxFiles: 2000, maxInflatedBytes: 1 << 30 });
const sharp = (await import('sharp')).default;
const decoders = {
  'decodeImage: header + mozjpeg WebAssembly (ours)': async () => {
    for (const entry of entries) await decodeImage(entry.name, entry.bytes, { type: 'jpeg', width: 64, height: 64 });
  },
  'sharp (libvips, native mozjpeg), one call per image': async () => {
    for (const entry of entries) await sharp(entry.bytes).raw().toBuffer();
  },
  'sharp, 16 at a time': async () => {
    for (let start = 0; start < entries.length; start += 16)
      await Promise.all(entries.slice(start, start + 16).map((entry) => sharp(entry.bytes).raw().toBuffer()));
  },
  'jpeg-js (pure JavaScript)': () => {
    for (const entry of entries) jpeg.decode(entry.bytes, { useTArray: true, formatAsRGBA: false });
    return Promise.resolve();
  },
};
const decodeTimes: Record<string, number[]> = Object.fromEntries(Object.keys(decoders).map((name) => [name, []]));
for (let round = 0; round < rounds; round++)
  for (const [name, run] of Object.entries(decoders)) {
    const started = performance.now();
    await run();
    decodeTimes[name]!.push(performance.now() - started);
  }
let largest = 0;
for (const entry of entries.slice(0, 100)) {
  const reference = await decodeImage(entry.name, entry.bytes, { type: 'jpeg', width: 64, height: 64 });
  const other = jpeg.decode(entry.bytes, { useTArray: true, formatAsRGBA: false }).data;
  for (let i = 0; i < other.length; i++) largest = Math.max(largest, Math.abs(other[i]! - reference.pixels[i]!));
}
const pillowDecode = hasPython ? stats(theirs.map((t) => t.decodeMs)).median : undefined;
console.log('\n| decoder (1000 JPEGs) | min / median / max ms | images/s (median) | vs Pillow (read + decode) |');
console.log('|---|---:|---:|---:|');
for (const [name, times] of Object.entries(decodeTimes)) {
  const median = stats(times).median;
  console.log(
    `| ${name} | ${cell(times)} | ${Math.round((entries.length / median) * 1000)} | ${pillowDecode ? `${(pillowDecode / median).toFixed(2)}x` : 'n/a'} |`,
  );
}
if (pillowDecode)
  console.log(
    `| Pillow (tarfile + convert('RGB'), in the Python rounds) | | ${Math.round((entries.length / pillowDecode) * 1000)} | 1.00x |`,
  );
console.log(
  `\njpeg-js differs from Pillow's pixels by up to ${largest} (first 100 images); decodeImage and sharp by 0 (decode.test.ts).`,
);
