export { baselinesPassed, meetsBaseline, type Baseline, type Board, type MetricDirections } from './baselines.ts';
export { courseTotal, roundScore } from './grade-total.ts';
export { quotaDay, type QuotaDay } from './quota-day.ts';
export { submissionWindow, type LatePolicy, type SubmissionWindow, type WindowRules } from './submission-window.ts';
