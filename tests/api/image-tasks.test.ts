/**
 * Images tasks end to end over HTTP with the real worker: HW6 (FID and AFD from the TA's feature
 * extractor and face detector) and HW10 (attacked accuracy of the TA's classifier, L∞ bound to the
 * originals) go bundle check -> upload -> archive checks -> evaluators in the runner process ->
 * metrics -> baselines -> board. Every way an archive can be wrong is its own rejection, at no cost
 * to the student's quota, before any model runs.
 */
import { CIFAR_CLASSES, type GeneratedBundle } from '@mljudge/course-pack';
import { decodeImage, encodeImage } from '@mljudge/images';
import { zipSync } from 'fflate';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { entriesOf, HW10_PER_CLASS, imageBundleUpload, smallHw10, smallHw6, tarGz } from '../support/image-bundles.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit, waitForResult } from './helpers.ts';

const stack = useTestStack();
const PNG_32 = { type: 'png', width: 32, height: 32 } as const;
const COURSE = 'ml2023-images';
let ta: string;
let student: string;
let rival: string;
let hw6: GeneratedBundle;
let hw10: GeneratedBundle;

async function createTask(bundle: GeneratedBundle) {
  const upload = imageBundleUpload(bundle);
  return stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${COURSE}/tasks`,
    payload: upload.payload,
    headers: { ...upload.headers, ...bearer(ta) },
  });
}

async function finished(token: string, task: string, content: Buffer | Uint8Array, filename = 'submission.tgz') {
  const response = await submit(stack.app, token, task, Buffer.from(content), { filename });
  expect(response.statusCode, response.body).toBe(202);
  return waitForResult(stack.app, token, response.json<{ submission: { id: string } }>().submission.id);
}

/** The bundle as a TA (or a student given the evaluators) has it on disk, and the upload beside it. */
function bundleFolder(bundle: GeneratedBundle, upload: Uint8Array): { directory: string; upload: string } {
  const directory = mkdtempSync(path.join(tmpdir(), 'mljudge-images-'));
  writeFileSync(path.join(directory, 'task.yaml'), bundle.taskYaml);
  for (const [name, content] of Object.entries(bundle.files ?? {})) {
    mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
    writeFileSync(path.join(directory, name), content);
  }
  writeFileSync(path.join(directory, 'upload.tgz'), upload);
  return { directory, upload: path.join(directory, 'upload.tgz') };
}

async function quotaUsed(token: string, task: string): Promise<number> {
  const response = await stack.app.inject({ method: 'GET', url: `/v1/tasks/${task}`, headers: bearer(token) });
  return response.json<{ quota: { used: number } }>().quota.used;
}

/** A rejection, and proof that it cost nothing. */
async function rejected(task: string, content: Buffer | Uint8Array, filename = 'submission.tgz') {
  const before = await quotaUsed(student, task);
  const result = await finished(student, task, content, filename);
  expect(result.status, JSON.stringify(result)).toBe('REJECTED');
  expect(await quotaUsed(student, task)).toBe(before);
  return result.error as { code: string; detail: string; expected?: string; found?: string };
}

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, COURSE);
  ta = (await seedUser(stack.database.db, course.id, 'TA')).token;
  student = (await seedUser(stack.database.db, course.id, 'STUDENT', 'painter')).token;
  rival = (await seedUser(stack.database.db, course.id, 'STUDENT', 'sketcher')).token;
  [hw6, hw10] = await Promise.all([smallHw6(), smallHw10()]);
});

describe('HW6: generated faces scored by FID and AFD', () => {
  beforeAll(async () => {
    const created = await createTask(hw6);
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body.task).toMatchObject({ slug: 'hw6-anime', format: 'images', metric: { name: 'fid' } });
    // The real images scored as an upload: FID 0 against their own statistics (to rounding).
    expect(Math.abs(body.evaluationSample.fid)).toBeLessThan(1e-3);
    expect(body.evaluationSample.detection_rate).toBeGreaterThan(0);
  });

  it('scores an archive through both evaluators, checks the conjunctive baselines and ranks it', async () => {
    const result = await finished(student, 'hw6-anime', hw6.sampleSubmission as Uint8Array);
    expect(result.status, JSON.stringify(result.error)).toBe('SCORED');
    expect(Object.keys(result.public.metrics)).toEqual(['fid', 'detection_rate']);
    expect(result.public.value).toBe(result.public.metrics.fid);
    expect(result.public.value).toBeGreaterThan(0);
    expect(result.private).toBeNull();
    expect(result.scorerVersion).toBe('mljudge-images/1.0.0');
    const { fid, detection_rate: afd } = result.public.metrics as { fid: number; detection_rate: number };
    const expected = [
      ['simple', 30000, 0],
      ['medium', 12000, 0.4],
      ['strong', 10000, 0.5],
      ['boss', 9000, 0.6],
    ].filter(([, maxFid, minAfd]) => fid <= (maxFid as number) && afd >= (minAfd as number));
    expect(result.baselines.public).toEqual(expected.map(([name]) => name));

    // The same images in a .zip (students on Windows) score the same.
    const entries = await entriesOf(hw6.sampleSubmission);
    const zip = zipSync(Object.fromEntries(entries.map((entry) => [entry.name, new Uint8Array(entry.bytes)])));
    const again = await finished(rival, 'hw6-anime', zip, 'submission.zip');
    expect(again.status).toBe('SCORED');
    expect(again.public.metrics).toEqual(result.public.metrics);

    const board = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/hw6-anime/leaderboard',
      headers: bearer(student),
    });
    expect(board.statusCode).toBe(200);
    expect(board.json().rows.map((row: { value: number }) => row.value)).toEqual([fid, fid]);

    // A student with the published evaluators reproduces the score offline, to the last digit.
    const offline = bundleFolder(hw6, hw6.sampleSubmission as Uint8Array);
    const cli = await runCli(['score', '--task', offline.directory, '--submission', offline.upload, '--json'], {});
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual({ public: result.public.metrics, private: null });
    const refused = bundleFolder(hw6, await tarGz((await entriesOf(hw6.sampleSubmission)).slice(1)));
    const missing = await runCli(['score', '--task', refused.directory, '--submission', refused.upload], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Rejected (IMAGE_MISSING)');
  });

  describe('refuses each malformed archive, naming the file, before any model runs', () => {
    let jpegs: Array<{ name: string; bytes: Buffer }>;
    beforeAll(async () => {
      jpegs = await entriesOf(hw6.sampleSubmission);
    });
    const without = (name: string) => jpegs.filter((entry) => entry.name !== name);

    it('a missing image', async () => {
      const error = await rejected('hw6-anime', await tarGz(without('7.jpg')));
      expect(error.code).toBe('IMAGE_MISSING');
      expect(error.detail).toContain('has no 7.jpg');
    });

    it('an extra file', async () => {
      const error = await rejected(
        'hw6-anime',
        await tarGz([...jpegs, { name: 'README.txt', bytes: Buffer.from('hi') }]),
      );
      expect(error).toMatchObject({ code: 'IMAGE_EXTRA_FILE', found: 'README.txt' });
    });

    it('an image of the wrong size', async () => {
      const small = await encodeImage({ width: 32, height: 64, pixels: new Uint8Array(32 * 64 * 3).fill(90) }, 'jpeg');
      const error = await rejected('hw6-anime', await tarGz([...without('3.jpg'), { name: '3.jpg', bytes: small }]));
      expect(error).toMatchObject({ code: 'IMAGE_WRONG_SIZE', expected: '64x64', found: '32x64' });
      expect(error.detail).toMatch(/^3\.jpg: /);
    });

    it('a PNG named .jpg', async () => {
      const png = await encodeImage({ width: 64, height: 64, pixels: new Uint8Array(64 * 64 * 3).fill(90) }, 'png');
      const error = await rejected('hw6-anime', await tarGz([...without('5.jpg'), { name: '5.jpg', bytes: png }]));
      expect(error.code).toBe('IMAGE_WRONG_TYPE');
      expect(error.detail).toMatch(/^5\.jpg: the file is a PNG image; this task takes JPEG/);
    });

    it('a nested folder', async () => {
      const error = await rejected(
        'hw6-anime',
        await tarGz(jpegs.map((entry) => ({ ...entry, name: `faces/${entry.name}` }))),
      );
      expect(error.code).toBe('IMAGE_NESTED_FOLDER');
      expect(error.detail).toContain('tar czf submission.tgz -C faces .');
    });

    it('a duplicate', async () => {
      // `./1.jpg` is `1.jpg`: a second copy that would otherwise silently replace the first.
      const twice = await tarGz([...jpegs, { name: './1.jpg', bytes: jpegs[0]!.bytes }]);
      expect(await rejected('hw6-anime', twice)).toMatchObject({ code: 'IMAGE_DUPLICATE', found: '1.jpg' });
    });

    it('something that is not an archive, and an archive bomb', async () => {
      expect((await rejected('hw6-anime', Buffer.from('1.jpg\n2.jpg\n'), 'submission.tgz')).code).toBe('ARCHIVE_TYPE');
      const bomb = await tarGz([{ name: '1.jpg', bytes: Buffer.alloc(512 << 20) }]);
      expect(bomb.length).toBeLessThan(1 << 20);
      expect((await rejected('hw6-anime', bomb)).code).toBe('ARCHIVE_TOO_LARGE_INFLATED');
    });
  });

  it('never shows the hidden real images or their statistics as public files', async () => {
    const data = await stack.app.inject({ method: 'GET', url: '/v1/tasks/hw6-anime/data', headers: bearer(student) });
    expect(data.statusCode).toBe(200);
    expect(data.json().files).toEqual([]);
  });
});

describe('HW10: attacked images scored by the defended classifier', () => {
  beforeAll(async () => {
    const created = await createTask(hw10);
    expect(created.statusCode, created.body).toBe(201);
    // The clean originals through the classifier: what an attack has to bring down.
    expect(created.json().evaluationSample.attacked_accuracy).toBeGreaterThan(0.7);
  });

  it('publishes the originals and scores an upload within the bound: lower accuracy ranks first', async () => {
    const data = await stack.app.inject({ method: 'GET', url: '/v1/tasks/hw10-attack/data', headers: bearer(student) });
    expect(data.json().files.map((file: { name: string }) => file.name)).toEqual(['benign.tgz']);

    const noisy = await finished(student, 'hw10-attack', hw10.sampleSubmission as Uint8Array);
    expect(noisy.status, JSON.stringify(noisy.error)).toBe('SCORED');
    expect(noisy.model).toMatchObject({ rows: HW10_PER_CLASS * CIFAR_CLASSES.length, provider: 'cpu' });
    // Random ±8 noise is no attack: the classifier still gets most right, past every baseline.
    expect(noisy.public.value).toBeGreaterThan(0.7);
    expect(noisy.baselines.public).toEqual([]);

    // Another upload within the bound: every value moved up to 8 levels towards grey.
    const originals = await entriesOf(hw10.files!['evaluation/benign.tgz'] as Uint8Array);
    const greyed = await Promise.all(
      originals.map(async (entry) => {
        const { pixels: raw } = await decodeImage(entry.name, entry.bytes, PNG_32);
        const moved = Uint8Array.from(
          raw,
          (value) => value + Math.sign(128 - value) * Math.min(8, Math.abs(128 - value)),
        );
        return {
          name: entry.name,
          bytes: await encodeImage({ width: 32, height: 32, pixels: moved }, 'png'),
        };
      }),
    );
    const attacked = await finished(rival, 'hw10-attack', await tarGz(greyed));
    expect(attacked.status, JSON.stringify(attacked.error)).toBe('SCORED');
    const board = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/hw10-attack/leaderboard',
      headers: bearer(student),
    });
    const values = board.json().rows.map((row: { value: number }) => row.value);
    expect(values).toEqual([...values].sort((a: number, b: number) => a - b));
  });

  it('refuses the whole upload at the first image past L∞ 8, naming it and its distance', async () => {
    const originals = await entriesOf(hw10.files!['evaluation/benign.tgz'] as Uint8Array);
    const target = `${CIFAR_CLASSES[3]}/${CIFAR_CLASSES[3]}2.png`;
    const files = await Promise.all(
      originals.map(async (entry) => {
        if (entry.name !== target) return entry;
        const { pixels: raw } = await decodeImage(entry.name, entry.bytes, PNG_32);
        const moved = Uint8Array.from(raw, (value, index) =>
          index === 40 ? (value > 127 ? value - 9 : value + 9) : value,
        );
        return {
          name: entry.name,
          bytes: await encodeImage({ width: 32, height: 32, pixels: moved }, 'png'),
        };
      }),
    );
    const error = await rejected('hw10-attack', await tarGz(files));
    expect(error).toMatchObject({ code: 'IMAGE_LINF_EXCEEDED', found: '9', expected: 'L∞ <= 8' });
    expect(error.detail).toMatch(new RegExp(`^${target} is at L∞ distance 9 from its original`));
  });

  it('refuses a class folder wrapped in another folder, and a missing class image', async () => {
    const originals = await entriesOf(hw10.files!['evaluation/benign.tgz'] as Uint8Array);
    const wrapped = await rejected(
      'hw10-attack',
      await tarGz(originals.map((entry) => ({ ...entry, name: `adv_imgs/${entry.name}` }))),
    );
    expect(wrapped.code).toBe('IMAGE_NESTED_FOLDER');
    const missing = await rejected('hw10-attack', await tarGz(originals.slice(1)));
    expect(missing.code).toBe('IMAGE_MISSING');
    expect(missing.detail).toContain(originals[0]!.name);
  });
});

describe('bundle checks of images tasks', () => {
  it('refuses a bundle whose evaluator does not fit its declared preprocessing, naming it', async () => {
    const broken = {
      ...hw10,
      taskYaml: hw10.taskYaml
        .replace('slug: hw10-attack', 'slug: hw10-broken')
        .replace('{ width: 32, height: 32, scale: 255,', '{ width: 64, height: 64, scale: 255,'),
    };
    const created = await createTask(broken);
    expect(created.statusCode).toBe(422);
    expect(created.json()).toMatchObject({ code: 'BUNDLE_EVALUATOR_INVALID' });
    expect(created.json().detail).toMatch(/^Evaluator defended \(evaluation\/classifier\.onnx\): /);
  });

  it('refuses a bundle without its evaluator model', async () => {
    const files = { ...hw6.files };
    delete (files as Record<string, unknown>)['evaluation/detector.onnx'];
    const created = await createTask({
      ...hw6,
      taskYaml: hw6.taskYaml.replace('slug: hw6-anime', 'slug: hw6-nodetector'),
      files,
    });
    expect(created.statusCode).toBe(422);
    expect(created.json().detail).toContain('evaluation/detector.onnx');
  });

  it('keeps the task version for the same bundle: the statistics it derives are the same bytes', async () => {
    const again = await createTask(hw6);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().task.version).toBe(1);
  });
});
