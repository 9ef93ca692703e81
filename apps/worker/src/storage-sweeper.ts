/**
 * Keeps storage from filling up: it deletes partial writes (`.part`) and staging folders left by a
 * crash, submission files with no submission row (an insert that failed after the file was stored),
 * and the files of rejected uploads once their retention period is over (rejected uploads cost no
 * quota, so nothing else bounds them). Everything it deletes is older than an upload can take, so it
 * never races an upload in flight; several workers may sweep at once.
 */
import { existingSubmissionIds, markArtifactsPurged, rejectedArtifactsBefore, type Database } from '@mljudge/db';
import { PART_SUFFIX, type LocalStorage } from '@mljudge/storage';
import type { WorkerMetrics } from './metrics.ts';

export interface SweepRules {
  /** Files younger than this are never touched (an upload may still be writing or inserting). */
  readonly minAgeMs: number;
  readonly rejectedRetentionDays: number;
}

export interface SweepReport {
  readonly parts: number;
  readonly staging: number;
  readonly orphans: number;
  readonly rejected: number;
}

const BATCH = 500;
const SUBMISSION_FILE = /^submissions\/[0-9a-f-]{36}\/([0-9a-f-]{36})$/;

export async function sweepStorage(
  db: Database,
  storage: LocalStorage,
  rules: SweepRules,
  now: Date,
  metrics?: WorkerMetrics,
): Promise<SweepReport> {
  const oldEnough = (modifiedAt: Date) => now.getTime() - modifiedAt.getTime() > rules.minAgeMs;
  let parts = 0;
  let orphans = 0;
  let staging = 0;
  for (const folder of await storage.folders('staging')) {
    if (!oldEnough(folder.modifiedAt)) continue;
    await storage.delete(folder.key);
    staging++;
  }
  let candidates: Array<{ key: string; id: string }> = [];
  const settle = async () => {
    const existing = await existingSubmissionIds(
      db,
      candidates.map((c) => c.id),
    );
    for (const candidate of candidates) {
      if (existing.has(candidate.id)) continue;
      await storage.delete(candidate.key);
      orphans++;
    }
    candidates = [];
  };
  for (const prefix of ['submissions', 'tasks']) {
    for await (const file of storage.files(prefix)) {
      if (!oldEnough(file.modifiedAt)) continue;
      if (file.key.endsWith(PART_SUFFIX)) {
        await storage.delete(file.key);
        parts++;
        continue;
      }
      const id = SUBMISSION_FILE.exec(file.key)?.[1];
      if (!id) continue;
      candidates.push({ key: file.key, id });
      if (candidates.length >= BATCH) await settle();
    }
  }
  await settle();
  let rejected = 0;
  const before = new Date(now.getTime() - rules.rejectedRetentionDays * 86_400_000);
  for (;;) {
    const batch = await rejectedArtifactsBefore(db, before, BATCH);
    for (const artifact of batch) await storage.delete(artifact.artifactKey);
    await markArtifactsPurged(
      db,
      batch.map((artifact) => artifact.id),
      now,
    );
    rejected += batch.length;
    if (batch.length < BATCH) break;
  }
  metrics?.swept.inc({ kind: 'part' }, parts);
  metrics?.swept.inc({ kind: 'staging' }, staging);
  metrics?.swept.inc({ kind: 'orphan' }, orphans);
  metrics?.swept.inc({ kind: 'rejected' }, rejected);
  return { parts, staging, orphans, rejected };
}
