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

/** How many task versions a scoring thread keeps decoded (a course has a handful of live tasks). */
export const CACHED_TASKS = 8;

/** Decode a task version now, before its jobs come (a failure only leaves it to the first job). */
export interface PreloadRequest {
  readonly kind: 'preload';
  readonly taskKey: string;
  readonly taskYamlPath: string;
  readonly solutionPath: string;
}

/** A thread has decoded a preloaded task version, or could not (`error`: its first job will report). */
export interface PreloadResponse {
  readonly kind: 'preloaded';
  readonly taskKey: string;
  readonly error?: string;
}

export type ScoringOutcome =
  | { readonly kind: 'scored'; readonly report: ScoreReport }
  | { readonly kind: 'rejected'; readonly detail: RejectionDetail };

export type ScoringResponse =
  | { readonly requestId: number; readonly outcome: ScoringOutcome }
  | { readonly requestId: number; readonly error: { readonly name: string; readonly message: string } };
