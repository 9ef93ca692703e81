/** Validates one task bundle (schema, metric, every solution row, the metric on each split) off the API's event loop. */
import { parentPort, workerData } from 'node:worker_threads';
import { BundleError } from '@mljudge/formats';
import { loadTask } from '@mljudge/scoring';
import type { CheckResult } from './protocol.ts';

const { taskYaml, solution } = workerData as { taskYaml: Uint8Array; solution: Uint8Array };

function check(): CheckResult {
  try {
    const { definition, publicRows, privateRows } = loadTask(Buffer.from(taskYaml).toString('utf8'), solution);
    return {
      ok: {
        slug: definition.slug,
        title: definition.title,
        description: definition.description,
        format: definition.format,
        metric: { name: definition.metric.name, options: { ...definition.metric.rawOptions } },
        direction: definition.direction,
        dailySubmissions: definition.dailySubmissions,
        maxUploadBytes: definition.maxUploadBytes,
        opensAt: definition.opensAt?.toISOString(),
        deadline: definition.deadline?.toISOString(),
        revealAt: definition.revealAt?.toISOString(),
        publicRows: publicRows.length,
        privateRows: privateRows.length,
      },
    };
  } catch (error) {
    if (error instanceof BundleError) return { problem: error.detail };
    return { crash: (error as Error).stack ?? String(error) };
  }
}

parentPort!.postMessage(check());
