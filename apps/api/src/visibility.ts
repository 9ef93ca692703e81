/**
 * What a reader may see of a task's submissions: decided from the task's reveal rules and, for a
 * student after the reveal time, whether a TA's extension still lets them submit.
 */
import { findOverride } from '@mljudge/db';
import { privateScoresVisible } from '@mljudge/grading';
import { windowRulesOf } from '@mljudge/scoring';
import { viewContext, type SubmissionViewContext } from '@mljudge/views';
import type { TaskDefinition } from '@mljudge/scoring';
import type { Services } from './services.ts';

/** The facts of a task (and the reader's role in it) that decide what the reader sees. */
export interface ReaderTask {
  readonly task: { readonly id: string; readonly slug: string };
  readonly rules: TaskDefinition;
  readonly staff: boolean;
}

/**
 * True when this reader may see private scores now. The student's override is read only past the
 * reveal time, the one moment it can matter; `extendedDeadline` skips the read when known.
 */
export async function showPrivateTo(
  services: Services,
  access: ReaderTask,
  userId: string,
  extendedDeadline?: Date | null,
): Promise<boolean> {
  const rules = windowRulesOf(access.rules);
  const now = services.now();
  if (access.staff) return true;
  if (!rules.revealAt || now < rules.revealAt) return false;
  const deadline =
    extendedDeadline !== undefined
      ? extendedDeadline
      : ((await findOverride(services.db, access.task.id, userId))?.deadline ?? null);
  return privateScoresVisible({ staff: false, extendedDeadline: deadline }, rules, now);
}

/** The view context of this reader on this task. */
export async function readerContext(
  services: Services,
  access: ReaderTask,
  userId: string,
  extendedDeadline?: Date | null,
): Promise<SubmissionViewContext> {
  const showPrivate = await showPrivateTo(services, access, userId, extendedDeadline);
  return viewContext(access.task.slug, access.rules, showPrivate, access.staff);
}
