/**
 * Whether a student may submit now: before opening, on time, in the late window (with its policy), or
 * closed. A TA's per-student deadline extension replaces the task deadline for that student.
 */

export type LatePolicy = 'refuse' | 'unranked' | 'penalty';

export interface WindowRules {
  readonly opensAt?: Date | undefined;
  readonly deadline?: Date | undefined;
  /** End of the late window; no late window when undefined. */
  readonly lateUntil?: Date | undefined;
  readonly latePolicy: LatePolicy;
}

export type SubmissionWindow =
  | { readonly state: 'not-open'; readonly opensAt: Date }
  | { readonly state: 'open'; readonly deadline: Date | undefined }
  | { readonly state: 'late'; readonly deadline: Date; readonly policy: Exclude<LatePolicy, 'refuse'> }
  | { readonly state: 'closed'; readonly deadline: Date };

export function submissionWindow(now: Date, rules: WindowRules, extendedDeadline?: Date | null): SubmissionWindow {
  if (rules.opensAt && now < rules.opensAt) return { state: 'not-open', opensAt: rules.opensAt };
  const deadline = extendedDeadline ?? rules.deadline;
  if (!deadline || now < deadline) return { state: 'open', deadline };
  if (
    rules.lateUntil &&
    now < rules.lateUntil &&
    rules.latePolicy !== 'refuse' &&
    (!extendedDeadline || extendedDeadline < rules.lateUntil)
  ) {
    return { state: 'late', deadline, policy: rules.latePolicy };
  }
  return { state: 'closed', deadline };
}
