import { BundleError } from '@mljudge/formats';
import { describe, expect, it } from 'vitest';
import { parseTaskYaml } from './task-definition.ts';

const valid = `slug: hw1-covid
title: COVID-19 cases
format: csv
id_column: id
target_column: tested_positive
metric: mse
limits: { daily_submissions: 5, max_upload_mb: 2 }
deadline: 2023-03-03T23:59:59+08:00
baselines:
  - { name: simple, public: 1.96993 }
  - { name: boss, public: 0.81456, private: 0.9, points: 1 }
`;

function messageOf(text: string): string {
  try {
    parseTaskYaml(text);
  } catch (error) {
    if (error instanceof BundleError) return error.message;
    throw error;
  }
  throw new Error('expected a BundleError');
}

describe('parseTaskYaml', () => {
  it('reads a valid task with defaults: direction from the metric, private thresholds from public, reveal at the deadline', () => {
    const task = parseTaskYaml(valid);
    expect(task.direction).toBe('lower');
    expect(task.maxUploadBytes).toBe(2 * 1024 * 1024);
    expect(task.baselines[0]).toEqual({
      name: 'simple',
      public: { mse: 1.96993 },
      private: { mse: 1.96993 },
      points: 0.5,
    });
    expect(task.baselines[1]!.private).toEqual({ mse: 0.9 });
    expect(task.revealAt?.toISOString()).toBe('2023-03-03T15:59:59.000Z');
  });

  it.each([
    ['an unknown key with its path', valid.replace('deadline:', 'dealine:'), '/dealine: unknown key'],
    ['an unknown nested key', valid.replace('max_upload_mb', 'max_upload'), '/limits/max_upload: unknown key'],
    ['a wrong type', valid.replace('daily_submissions: 5', 'daily_submissions: five'), '/limits/daily_submissions'],
    ['an unknown metric', valid.replace('metric: mse', 'metric: msee'), 'task.yaml /metric: unknown metric "msee"'],
    [
      'an unknown metric option',
      valid.replace('metric: mse', 'metric: { name: f1, options: { averge: macro } }'),
      '/metric/options/averge',
    ],
    [
      'an invalid metric option value',
      valid.replace('metric: mse', 'metric: { name: f1, options: { average: mean } }'),
      'average must be one of macro, micro, weighted, binary',
    ],
    ['a csv task without id_column', valid.replace('id_column: id\n', ''), '/id_column: a csv task needs id_column'],
    ['a bad slug', valid.replace('hw1-covid', 'HW 1'), '/slug'],
    ['a deadline without a zone', valid.replace('+08:00', ''), '/deadline'],
    [
      'a baseline on a metric the task does not compute',
      valid.replace('public: 1.96993', 'public: { rmse: 1 }'),
      '/baselines/0/public/rmse',
    ],
    [
      'a program task without its program',
      'slug: rl\ntitle: RL\nformat: program\nmetric: { name: reward, direction: higher }\n',
      '/program: a program task needs a program section',
    ],
    [
      'a program metric without a direction',
      'slug: rl\ntitle: RL\nformat: program\nprogram: { command: [python3, a.py], sample: s.npy }\nmetric: reward\n',
      'a program task declares each metric as { name, direction: higher | lower }',
    ],
    [
      'a direction on a built-in metric',
      valid.replace('metric: mse', 'metric: { name: mse, direction: higher }'),
      'only program tasks declare a direction',
    ],
    [
      'a program section on a csv task',
      `${valid}program: { command: [python3, a.py], sample: s.npy }\n`,
      '/program: only program tasks take a program section',
    ],
    ['a csv task without target_column', valid.replace('target_column: tested_positive\n', ''), '/target_column'],
    ['YAML syntax errors', 'slug: [unclosed', 'not valid YAML'],
    ['a document that is not a mapping', '- a\n- b\n', 'must be a mapping'],
  ])('rejects %s', (_what, text, expected) => {
    expect(messageOf(text)).toContain(expected);
  });
});

describe('program tasks', () => {
  it('reads the program, its limits (with defaults) and the metrics it reports', () => {
    const definition = parseTaskYaml(`slug: hw12-rl
title: RL
format: program
program: { command: [python3, replay.py], sample: sample.npy, splits: [public], memory_mb: 2048 }
metric: { name: mean_reward, direction: higher }
report: [{ name: crashes, direction: lower }]
`);
    expect(definition.program).toEqual({
      command: ['python3', 'replay.py'],
      sample: 'sample.npy',
      splits: ['public'],
      timeoutSeconds: 120,
      memoryMb: 2048,
      maxProcesses: 32,
    });
    expect(definition.direction).toBe('higher');
    expect(definition.report.map((metric) => [metric.name, metric.definition.direction])).toEqual([
      ['crashes', 'lower'],
    ]);
  });
});
