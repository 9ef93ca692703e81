/**
 * The pack's HW6 and HW10 at their real sizes: the bundles pass the server's own bundle check (the
 * evaluators load, the FID statistics are computed, the originals score as an upload), and their
 * samples score as the course's students' uploads would: HW6's between the baselines, HW10's random
 * noise no attack at all.
 */
import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkBundleFiles, loadImageTask, scoreImages } from '@mljudge/scoring';
import { describe, expect, it } from 'vitest';
import { hw10Attack, hw6Anime } from './image-homeworks.ts';
import { writeBundle } from './write-bundle.ts';

async function checked(homework: typeof hw6Anime) {
  const written = await writeBundle(homework, await mkdtemp(path.join(tmpdir(), 'mljudge-pack-')), 2023);
  const taskYamlPath = path.join(written.directory, 'task.yaml');
  const evaluationDir = path.join(written.directory, 'evaluation');
  const summary = await checkBundleFiles({ taskYamlPath, solutionPath: null, inputsPath: null, evaluationDir });
  const task = await loadImageTask(readFileSync(taskYamlPath, 'utf8'), evaluationDir, { providers: ['cpu'] });
  const sample = await scoreImages(task, readFileSync(written.samplePath), { providers: ['cpu'] });
  return { summary, task, sample, written };
}

describe('image homeworks of the course pack', () => {
  it('HW6: 1000 64x64 JPEGs; the sample lands between the conjunctive baselines', async () => {
    const { summary, sample, written } = await checked(hw6Anime);
    expect(summary.publicRows).toBe(1000);
    expect(summary.generatedFiles).toEqual([
      'evaluation/real_faces.tgz.fid-mu.npy',
      'evaluation/real_faces.tgz.fid-sigma.npy',
    ]);
    expect(Math.abs(summary.evaluationSample!.fid!)).toBeLessThan(1e-2);
    expect(readFileSync(written.samplePath).length).toBeLessThan(2 * 1024 * 1024);
    const { fid, detection_rate: afd } = sample.report.public.metrics as { fid: number; detection_rate: number };
    // Better than the simple baseline, short of the boss.
    expect(fid).toBeLessThan(30000);
    expect(fid > 9000 || afd < 0.6).toBe(true);
    expect(sample.run.rows).toBe(1000);
  }, 120_000);

  it('HW10: 200 32x32 PNGs in ten class folders; random ±8 noise passes no baseline', async () => {
    const { summary, sample, task } = await checked(hw10Attack);
    expect(task.names).toHaveLength(200);
    expect(task.names[0]).toBe('airplane/airplane1.png');
    expect(new Set(task.names.map((name) => name.split('/')[0])).size).toBe(10);
    expect(summary.evaluationSample!.attacked_accuracy).toBeGreaterThan(0.9);
    expect(sample.run.maxLinf).toBe(8);
    expect(sample.report.public.value).toBeGreaterThan(0.7);
  }, 120_000);
});
