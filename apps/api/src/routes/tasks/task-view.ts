/** A task as everyone in its course may see it: format, metric, rules, public baselines. */
import type { Task } from '@mljudge/db';
import type { ImageRules, TaskDefinition } from '@mljudge/scoring';
import type { Static } from 'typebox';
import type { TaskSummary } from './schemas.ts';

const EXAMPLE_ROWS = 3;

function submissionExampleOf(rules: TaskDefinition): string {
  switch (rules.format) {
    case 'text':
      return 'one prediction per line, in test order, no header';
    case 'onnx':
      return `an ONNX model: input ${rules.model!.inputType} [batch, ${rules.model!.inputShape.join(', ')}], output logits [batch, ${rules.labels!.length}]`;
    case 'csv':
      return `${rules.idColumn},${rules.predictionColumn}`;
    case 'program':
      return "a file the task's scoring program reads (see the description)";
    case 'images':
      return imagesExampleOf(rules.images!);
  }
}

function imagesExampleOf(images: ImageRules): string {
  const type = images.type === 'jpeg' ? 'JPEG' : 'PNG';
  const archives = images.archives.map((kind) => (kind === 'zip' ? '.zip' : '.tar.gz')).join(' or ');
  const layout =
    images.count !== undefined
      ? `exactly ${images.count} ${type} images named 1.${images.type === 'jpeg' ? 'jpg' : 'png'} .. ${images.count}.${images.type === 'jpeg' ? 'jpg' : 'png'} at the root`
      : `the ${type} images of the originals, under the same names and class folders`;
  const bound = images.maxLinf !== undefined ? `, each within L∞ ${images.maxLinf} of its original` : '';
  return `a ${archives} of ${layout}, ${images.width}x${images.height} RGB${bound}`;
}

/** A few lines in the task's format with made-up ids and values: what the task page shows as an example. */
function exampleFileOf(rules: TaskDefinition): string | null {
  const value = (row: number) => {
    if (rules.labels && rules.labels.length > 0) return rules.labels[row % rules.labels.length]!;
    if (rules.inputKind === 'texts') return row === 0 ? 'a predicted sentence' : `prediction ${row + 1}`;
    return ['0.5', '12.25', '-3.0'][row % 3]!;
  };
  const rows = Array.from({ length: EXAMPLE_ROWS }, (_, row) => row);
  switch (rules.format) {
    case 'onnx':
    case 'program':
    case 'images':
      return null;
    case 'text':
      return rows.map(value).join('\n') + '\n';
    case 'csv': {
      const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
      return (
        [`${rules.idColumn},${rules.predictionColumn}`, ...rows.map((row) => `${row},${quote(value(row))}`)].join(
          '\n',
        ) + '\n'
      );
    }
  }
}

/** What students may do with a task: see it and upload, only read it, or nothing. */
export function taskState(task: Pick<Task, 'hiddenAt' | 'archivedAt'>): 'visible' | 'hidden' | 'archived' {
  return task.hiddenAt ? 'hidden' : task.archivedAt ? 'archived' : 'visible';
}

export function taskSummary(
  task: Task,
  rules: TaskDefinition,
  course: { slug: string; timeZone: string },
): Static<typeof TaskSummary> {
  return {
    state: taskState(task),
    timeZone: course.timeZone,
    slug: task.slug,
    course: course.slug,
    title: rules.title,
    description: rules.description ?? null,
    format: rules.format,
    submissionExample: submissionExampleOf(rules),
    exampleFile: exampleFileOf(rules),
    labels: rules.labels ? [...rules.labels] : null,
    dailySubmissions: rules.dailySubmissions,
    selectionLimit: rules.selectionLimit,
    late: rules.late
      ? { until: rules.late.until.toISOString(), policy: rules.late.policy, factor: rules.late.factor }
      : null,
    metric: { name: rules.metric.name, options: { ...rules.metric.rawOptions } },
    direction: rules.direction,
    opensAt: rules.opensAt?.toISOString() ?? null,
    deadline: rules.deadline?.toISOString() ?? null,
    revealAt: rules.revealAt?.toISOString() ?? null,
    maxUploadBytes: rules.maxUploadBytes,
    version: task.version,
    // Public thresholds only: private ones may be kept from students until the reveal.
    baselines: rules.baselines.map((baseline) => ({
      name: baseline.name,
      thresholds: { ...baseline.public },
      points: baseline.points,
    })),
  };
}
