export { loadTaskDirectory } from './bundle-files.ts';
export { INPUTS_FILE, loadTask, SOLUTION_FILE, TASK_FILE, type LoadedTask } from './loaded-task.ts';
export {
  SCORER_VERSION,
  scorePredictions,
  scoreSubmission,
  type ScoreReport,
  type SplitScore,
} from './score-submission.ts';
export {
  parseTaskYaml,
  predictionKind,
  truthKind,
  DEFAULT_DAILY_SUBMISSIONS,
  DEFAULT_MAX_UPLOAD_MB,
  DEFAULT_SELECTION_LIMIT,
  taskDefinitionFromConfig,
  type ModelRules,
  type BaselineDefinition,
  type ResolvedMetric,
  type TaskDefinition,
} from './task-definition.ts';
export { TaskYamlSchema, type TaskYaml } from './task-schema.ts';
export { problemTypeOf, rejectionProblem, type RejectionProblem } from './problem.ts';
