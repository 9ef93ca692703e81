/**
 * A task's validated rules, rebuilt from the task.yaml document stored with it once per task version
 * and kept (a course has a handful of live tasks; every request and job asks for them).
 */
import { LRUCache } from 'lru-cache';
import { taskDefinitionFromConfig, type TaskDefinition } from './task-definition.ts';

const definitions = new LRUCache<string, TaskDefinition>({ max: 256 });

/** The definition of a stored task version (id + version name it; config is its task.yaml). */
export function definitionOf(task: {
  readonly id: string;
  readonly version: number;
  readonly config: unknown;
}): TaskDefinition {
  const key = `${task.id}:${task.version}`;
  let definition = definitions.get(key);
  if (!definition) {
    definition = taskDefinitionFromConfig(task.config);
    definitions.set(key, definition);
  }
  return definition;
}
