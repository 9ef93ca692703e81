/**
 * The body of a webhook delivery: the submission as a student would see it (public scores only,
 * rounded like on the public board), plus the submitter's email for course-wide hooks. Private scores
 * never leave the server through a webhook.
 */
import type { SubmissionWithScores } from '@mljudge/db';
import type { TaskDefinition } from '@mljudge/scoring';
import { submissionView, viewContext } from './submission-view.ts';

export interface WebhookPayload {
  readonly id: string;
  readonly event: string;
  readonly submission: {
    readonly id: string;
    readonly task: string;
    readonly status: string;
    readonly user: string | null;
    readonly createdAt: string;
    readonly finishedAt: string | null;
    readonly public: { readonly value: number; readonly metrics: Record<string, number> } | null;
    readonly baselines: readonly string[];
    readonly error: object | null;
  };
}

/** Built from the same view a student gets of the submission, never a staff one. */
export function webhookPayload(
  delivery: { readonly id: string; readonly event: string },
  submission: SubmissionWithScores,
  task: { readonly slug: string; readonly definition: TaskDefinition },
  submitterEmail: string | null,
): WebhookPayload {
  const view = submissionView(submission, viewContext(task.slug, task.definition, false));
  return {
    id: delivery.id,
    event: delivery.event,
    submission: {
      id: view.id,
      task: view.task,
      status: view.status,
      user: submitterEmail,
      createdAt: view.createdAt,
      finishedAt: view.finishedAt,
      public: view.public,
      baselines: view.baselines.public,
      error: view.error,
    },
  };
}
