import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { multipart } from './multipart.ts';

const root = fileURLToPath(new URL('../fixtures/bundles/', import.meta.url));

export function bundleFile(bundle: string, name: 'task.yaml' | 'solution.csv'): Buffer {
  return readFileSync(`${root}${bundle}/${name}`);
}

/** A multipart body uploading a fixture bundle's two files. */
export function bundleUpload(bundle: string, overrides: { taskYaml?: string; solution?: string } = {}) {
  return multipart([
    { field: 'task', filename: 'task.yaml', content: overrides.taskYaml ?? bundleFile(bundle, 'task.yaml') },
    { field: 'solution', filename: 'solution.csv', content: overrides.solution ?? bundleFile(bundle, 'solution.csv') },
  ]);
}
