/** Who changed a rule, a selection, a role or the hidden data, and when. */
import type { DbOrTx } from './client.ts';
import type { Prisma } from './generated/prisma/client.ts';

/** Records one audited action of `actorId` in the course (inside the caller's transaction). */
export async function recordAudit(
  db: DbOrTx,
  courseId: string,
  /** null for the server-side admin command */
  actorId: string | null,
  action: string,
  details: Prisma.InputJsonValue,
): Promise<void> {
  await db.auditEvent.create({ data: { courseId, actorId, action, details } });
}
