/** Every error code the code can produce is explained at /docs/problems, where problem types point. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../apps/api/src/problem-catalog.ts';
import { useTestStack } from '../support/stack.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const stack = useTestStack({ worker: false });

function sources(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) return name === 'generated' ? [] : sources(full);
    return full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : [];
  });
}

describe('/docs/problems', () => {
  it('explains every error code used in the scoring, api and worker code', () => {
    const used = new Set<string>();
    for (const directory of [
      'packages/formats/src',
      'packages/scoring/src',
      'packages/metrics/src',
      'packages/db/src',
      'packages/onnx-runner/src',
      'apps/api/src',
      'apps/worker/src',
    ]) {
      for (const file of sources(path.join(root, directory))) {
        for (const match of readFileSync(file, 'utf8').matchAll(/'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g)) used.add(match[1]!);
      }
    }
    const documented = new Set(PROBLEMS.map((entry) => entry.code));
    expect([...used].filter((code) => !documented.has(code))).toEqual([]);
    expect(used.size).toBeGreaterThan(40);
  });

  it('serves an HTML page with one anchor per code, and JSON otherwise', async () => {
    const html = await stack.app.inject({ method: 'GET', url: '/docs/problems', headers: { accept: 'text/html' } });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<tr id="csv-duplicate-id">');
    const json = await stack.app.inject({ method: 'GET', url: '/docs/problems' });
    expect(json.json().problems).toContainEqual({ code: 'QUOTA_EXCEEDED', status: 429, meaning: expect.any(String) });
  });
});
