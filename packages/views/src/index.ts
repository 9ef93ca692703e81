export {
  submissionView,
  viewContext,
  type ProblemView,
  type ScoreView,
  type SubmissionView,
  type SubmissionViewContext,
} from './submission-view.ts';
export { webhookPayload, type WebhookPayload } from './webhook-payload.ts';
