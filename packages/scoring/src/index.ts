export {
  checkBundleFiles,
  loadTaskDefinition,
  loadTaskDirectory,
  PROGRAM_FOLDER,
  type BundlePaths,
  type BundleSummary,
  type ProgramSampleCheck,
} from './bundle-files.ts';
export type { EvaluatorRules, ImageRules } from './image-rules.ts';
export { EVALUATION_FOLDER, loadImageTask, type LoadedImageTask } from './image-task.ts';
export { EvaluatorFailure, evaluatorOutputs } from './evaluator-run.ts';
export { scoreImages, type ImageRunInfo, type ImageScore } from './score-images.ts';
export {
  INPUTS_FILE,
  loadTask,
  loadTaskWithSnapshot,
  SOLUTION_FILE,
  SOLUTION_SNAPSHOT_FILE,
  TASK_FILE,
  type LoadedTask,
} from './loaded-task.ts';
export { scoreModel, type ModelRunInfo, type ModelRunOptions, type ModelScore } from './score-model.ts';
export { scoreSubmission, type ScoreReport, type SplitScore } from './score-submission.ts';
export {
  taskDefinitionFromConfig,
  type BaselineDefinition,
  type ModelRules,
  type ProgramRules,
  type ResolvedMetric,
  type TaskDefinition,
} from './task-definition.ts';
export { definitionOf } from './definition-cache.ts';
export { baselinesOf, directionsOf, gradingRulesOf, windowRulesOf } from './grading-rules.ts';
export { problemTypeOf, rejectionProblem, type RejectionProblem } from './problem.ts';
export { ProgramFailure, scoreWithProgram, type ProgramDiagnostics, type ProgramRunOptions } from './score-program.ts';
export { warmUpScoring } from './warm-up.ts';
