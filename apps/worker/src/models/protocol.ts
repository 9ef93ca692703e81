/** Messages between the worker and its model-runner child process. */
import type { ModelRunInfo } from '@mljudge/scoring';
import type { ScoringOutcome } from '../scoring/protocol.ts';

export interface RunRequest {
  readonly requestId: number;
  /** A task version; the child caches its solution and decoded inputs under it. */
  readonly taskKey: string;
  readonly taskYamlPath: string;
  readonly solutionPath: string;
  readonly inputsPath: string;
  readonly modelPath: string;
  readonly providers: readonly string[];
}

export type RunResponse =
  /** The task is loaded and the model starts now: its time limit runs from here. */
  | { readonly requestId: number; readonly started: true }
  | { readonly requestId: number; readonly outcome: ScoringOutcome; readonly run: ModelRunInfo | null }
  | { readonly requestId: number; readonly error: string };
