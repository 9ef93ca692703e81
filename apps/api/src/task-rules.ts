/**
 * A task's validated rules (baselines, selection limit, late window, precision), rebuilt from the stored
 * task.yaml document once per task version and cached.
 */
import type { Task } from '@mljudge/db';
import type { Baseline, MetricDirections } from '@mljudge/grading';
import { taskDefinitionFromConfig, type TaskDefinition } from '@mljudge/scoring';

const cache = new Map<string, TaskDefinition>();
const CACHE_LIMIT = 256;

export function rulesOf(task: Pick<Task, 'id' | 'version' | 'config'>): TaskDefinition {
  const key = `${task.id}:${task.version}`;
  let definition = cache.get(key);
  if (!definition) {
    definition = taskDefinitionFromConfig(task.config);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, definition);
  }
  return definition;
}

/** Direction of every metric the task reports, for baseline checks. */
export function directionsOf(definition: TaskDefinition): MetricDirections {
  return Object.fromEntries(
    [definition.metric, ...definition.report].map((metric) => [metric.name, metric.definition.direction]),
  );
}

export function baselinesOf(definition: TaskDefinition): Baseline[] {
  return definition.baselines.map((baseline) => ({
    name: baseline.name,
    public: baseline.public,
    private: baseline.private,
    points: baseline.points,
  }));
}
