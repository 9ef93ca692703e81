/** What the storage sweeper asks: which stored files still belong to a submission, which may go. */
import { prismaOf, type Database } from './client.ts';

/** The ids among `ids` that are submissions. */
export async function existingSubmissionIds(database: Database, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await prismaOf(database).submission.findMany({ where: { id: { in: [...ids] } }, select: { id: true } });
  return new Set(rows.map((row) => row.id));
}

/** Rejected submissions finished before `before` whose file is still stored, oldest first. */
export async function rejectedArtifactsBefore(
  database: Database,
  before: Date,
  limit: number,
): Promise<Array<{ id: string; artifactKey: string }>> {
  return prismaOf(database).submission.findMany({
    where: { status: 'REJECTED', artifactPurgedAt: null, finishedAt: { lt: before } },
    orderBy: { finishedAt: 'asc' },
    take: limit,
    select: { id: true, artifactKey: true },
  });
}

/** Records that the files of these submissions were deleted. */
export async function markArtifactsPurged(database: Database, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await prismaOf(database).submission.updateMany({ where: { id: { in: [...ids] } }, data: { artifactPurgedAt: now } });
}
