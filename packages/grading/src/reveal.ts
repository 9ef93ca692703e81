/**
 * When private scores may be seen. Staff always see them; a student only once the task's reveal time
 * has passed AND they can no longer submit: a late window, or a TA's extension for that student, keeps
 * the private board out of reach of exactly the people who could still tune against it.
 */
import { submissionWindow, type WindowRules } from './submission-window.ts';

export interface RevealRules extends WindowRules {
  /** The task's reveal time; undefined keeps private scores hidden from students. */
  readonly revealAt: Date | undefined;
}

/** True when this reader may see private scores, boards and baselines now. */
export function privateScoresVisible(
  reader: { readonly staff: boolean; readonly extendedDeadline?: Date | null | undefined },
  rules: RevealRules,
  now: Date,
): boolean {
  if (reader.staff) return true;
  if (!rules.revealAt || now < rules.revealAt) return false;
  return submissionWindow(now, rules, reader.extendedDeadline).state === 'closed';
}

/**
 * The reveal time a task gets when task.yaml sets none: the end of its late window when it has one,
 * else its deadline (nothing is revealed before anyone's last chance to submit).
 */
export function defaultRevealAt(deadline: Date | undefined, lateUntil: Date | undefined): Date | undefined {
  if (!deadline) return undefined;
  return lateUntil && lateUntil > deadline ? lateUntil : deadline;
}
