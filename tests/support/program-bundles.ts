/**
 * Program task bundles for tests: HW12 of the course pack replaying the pure-Python cart-pole
 * stand-in (Box2D is not installable here), and a misbehaving program that breaks the contract in
 * every way the sandbox must contain. Both upload as multipart parts named `program`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hw12Reinforcement, SeededRandom } from '@mljudge/course-pack';
import { multipart, type FilePart } from './multipart.ts';

/** What the stand-in bundle replays instead of LunarLander-v3. */
export const STAND_IN_ENVIRONMENT = 'cartpole-stand-in';

export interface ProgramBundle {
  readonly taskYaml: string;
  readonly files: Readonly<Record<string, string | Uint8Array>>;
}

/** HW12 as the course pack writes it, on the cart-pole stand-in; `slug` renames the task. */
export function hw12StandIn(slug = 'hw12-rl'): ProgramBundle {
  const bundle = hw12Reinforcement.generate(new SeededRandom(2023));
  const files = Object.fromEntries(
    Object.entries(bundle.files ?? {}).map(([name, content]) => [name.replace(/^program\//, ''), content]),
  );
  files['episodes.json'] = `${JSON.stringify({ environment: STAND_IN_ENVIRONMENT, seed: 543, episodes: 5 })}\n`;
  return { taskYaml: bundle.taskYaml.replace('slug: hw12-rl', `slug: ${slug}`), files };
}

/** Plays the stand-in with HW12's own play.py (outside any sandbox: this is the student's side). */
export function playStandIn(policy: 'lean' | 'random'): Buffer {
  const directory = mkdtempSync(path.join(tmpdir(), 'mljudge-hw12-'));
  for (const [name, content] of Object.entries(hw12StandIn().files)) writeFileSync(path.join(directory, name), content);
  const out = path.join(directory, 'Action_List.npy');
  execFileSync('python3', ['play.py', out, policy], { cwd: directory });
  return readFileSync(out);
}

/** A task whose program does what each submission says (tests/fixtures/programs/misbehave.py). */
export function misbehavingBundle(slug: string, extraYaml = ''): ProgramBundle {
  return {
    taskYaml: `slug: ${slug}
title: A scoring program that misbehaves on request
format: program
program:
  command: [python3, misbehave.py]
  sample: sample.txt
  timeout_seconds: 6
  memory_mb: 256
  max_processes: 16
metric: { name: score, direction: higher }
limits: { daily_submissions: 20 }
${extraYaml}`,
    files: {
      'misbehave.py': readFileSync(new URL('../fixtures/programs/misbehave.py', import.meta.url)),
      'sample.txt': 'ok\n',
    },
  };
}

/** The bundle as multipart: task.yaml, then each program file as a part named `program`. */
export function programBundleUpload(bundle: ProgramBundle, extra: readonly FilePart[] = []) {
  return multipart([
    { field: 'task', filename: 'task.yaml', content: bundle.taskYaml },
    ...Object.entries(bundle.files).map(([name, content]) => ({
      field: 'program',
      filename: name,
      content: typeof content === 'string' ? content : Buffer.from(content),
    })),
    ...extra,
  ]);
}
