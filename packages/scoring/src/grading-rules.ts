/** A task definition as the course rules (packages/grading) read it: baselines, directions, points. */
import type { Baseline, MetricDirections, RevealRules, TaskGradingRules } from '@mljudge/grading';
import type { TaskDefinition } from './task-definition.ts';

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

/** Everything the gradebook needs to turn a task's scores into points. */
export function gradingRulesOf(definition: TaskDefinition): TaskGradingRules {
  return {
    metric: definition.metric.name,
    baselines: baselinesOf(definition),
    directions: directionsOf(definition),
    pointBands: definition.pointBands,
    late: definition.late ? { policy: definition.late.policy, factor: definition.late.factor } : undefined,
  };
}

/** When the task takes submissions and reveals private scores, as the course rules read it. */
export function windowRulesOf(definition: TaskDefinition): RevealRules {
  return {
    opensAt: definition.opensAt,
    deadline: definition.deadline,
    lateUntil: definition.late?.until,
    latePolicy: definition.late?.policy ?? 'refuse',
    revealAt: definition.revealAt,
  };
}
