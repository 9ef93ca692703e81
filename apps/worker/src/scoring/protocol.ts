/** Messages between the worker's main thread and its scoring threads. */
import type { RejectionDetail } from '@mljudge/formats';
import type { ScoreReport } from '@mljudge/scoring';

export interface ScoringRequest {
  readonly requestId: number;
  /** Identifies a task version; threads cache the decoded solution under it. */
  readonly taskKey: string;
  readonly taskYamlPath: string;
  readonly solutionPath: string;
  readonly artifactPath: string;
}

export type ScoringOutcome =
  | { readonly kind: 'scored'; readonly report: ScoreReport }
  | { readonly kind: 'rejected'; readonly detail: RejectionDetail };

export type ScoringResponse =
  | { readonly requestId: number; readonly outcome: ScoringOutcome }
  | { readonly requestId: number; readonly error: { readonly name: string; readonly message: string } };
