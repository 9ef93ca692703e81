/** Messages between the worker and its model-runner child process. */
import type { ScoringOutcome } from '../scoring-protocol.ts';

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

/** How a model ran, stored with its submission. */
export interface RunInfo {
  readonly parameters: number;
  readonly provider: string;
  readonly rows: number;
  readonly sessionMs: number;
  readonly inferenceMs: number;
  readonly rowsPerSecond: number;
}

export type RunResponse =
  | { readonly requestId: number; readonly outcome: ScoringOutcome; readonly run: RunInfo | null }
  | { readonly requestId: number; readonly error: string };
