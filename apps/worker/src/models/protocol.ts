/** Messages between the worker and its model-runner child process. */
import type { ModelRunInfo } from '@mljudge/scoring';
import type { ScoringOutcome } from '../scoring/protocol.ts';

/** A student's model run over a task's hidden inputs. */
export interface ModelRunRequest {
  readonly kind: 'model';
  readonly requestId: number;
  /** A task version; the child caches its solution and decoded inputs under it. */
  readonly taskKey: string;
  readonly taskYamlPath: string;
  readonly solutionPath: string;
  readonly inputsPath: string;
  readonly modelPath: string;
  readonly providers: readonly string[];
}

/** A student's image archive run through an images task's evaluators. */
export interface ImagesRunRequest {
  readonly kind: 'images';
  readonly requestId: number;
  /** A task version; the child caches its evaluators, originals and reference statistics under it. */
  readonly taskKey: string;
  readonly taskYamlPath: string;
  readonly evaluationDir: string;
  readonly archivePath: string;
  readonly providers: readonly string[];
}

export type RunRequest = ModelRunRequest | ImagesRunRequest;

/** A request before the pool numbers it. */
export type RunRequestBody = RunRequest extends infer R ? (R extends RunRequest ? Omit<R, 'requestId'> : never) : never;

export type RunResponse =
  /** The task is loaded and the model starts now: its time limit runs from here. */
  | { readonly requestId: number; readonly started: true }
  | { readonly requestId: number; readonly outcome: ScoringOutcome; readonly run: ModelRunInfo | null }
  | { readonly requestId: number; readonly error: string };
