export { baselinesPassed, type Baseline, type Board, type MetricDirections } from './baselines.ts';
export {
  courseGrades,
  taskGrades,
  type GradedEntry,
  type LateEntry,
  type StudentGrades,
  type TaskGrade,
  type TaskGradingRules,
} from './gradebook.ts';
export { courseTotal, roundScore } from './grade-total.ts';
export type { Band } from './points.ts';
export { quotaDay, type QuotaDay } from './quota-day.ts';
export { defaultRevealAt, privateScoresVisible, type RevealRules } from './reveal.ts';
export { submissionWindow, type LatePolicy, type SubmissionWindow, type WindowRules } from './submission-window.ts';
export { isTimeZone } from './time-zone.ts';
