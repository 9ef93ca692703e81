/**
 * `mljudge course-pack --course SLUG`: generates the course pack's homeworks (synthetic hidden data of
 * the real sizes) and creates them as tasks of the course through the REST API, as a TA.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError, MljudgeClient } from '@mljudge/client';
import { COURSE_PACK, IMAGE_PACK, PROGRAM_PACK, writeBundle } from '@mljudge/course-pack';
import { EXIT } from './exit-codes.ts';
import type { Output } from './output.ts';

const DEFAULT_HOMEWORKS = [...COURSE_PACK, ...IMAGE_PACK];
const EVERY_HOMEWORK = [...DEFAULT_HOMEWORKS, ...PROGRAM_PACK];

export const COURSE_PACK_USAGE = `Usage: mljudge course-pack --course SLUG [--only SLUG,SLUG] [--out DIR] [--seed N]

Generates the course pack (${DEFAULT_HOMEWORKS.map((hw) => hw.slug).join(', ')})
with synthetic hidden data of the real sizes and creates each as a task of the course.
Homeworks scored by a TA program (${PROGRAM_PACK.map((hw) => hw.slug).join(', ')}) are created only when --only
names them: the server's program worker needs what they import (HW12: gymnasium with Box2D).
Needs a TA token: --token or MLJUDGE_TOKEN; the server: --url or MLJUDGE_URL (default http://127.0.0.1:3000).`;

export async function coursePackCommand(
  args: readonly string[],
  output: Output,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        course: { type: 'string' },
        only: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string', default: '2023' },
        url: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    output.stderr.write(`${(error as Error).message}\n\n${COURSE_PACK_USAGE}\n`);
    return EXIT.other;
  }
  if (values.help) {
    output.stdout.write(`${COURSE_PACK_USAGE}\n`);
    return EXIT.ok;
  }
  const token = values.token ?? env.MLJUDGE_TOKEN;
  if (!values.course || !token) {
    output.stderr.write(
      `${!values.course ? '--course is required.' : 'No token: pass --token or set MLJUDGE_TOKEN.'}\n\n${COURSE_PACK_USAGE}\n`,
    );
    return values.course ? EXIT.auth : EXIT.other;
  }
  const wanted = values.only?.split(',').map((slug) => slug.trim());
  const unknown = wanted?.filter((slug) => !EVERY_HOMEWORK.some((hw) => hw.slug === slug)) ?? [];
  if (unknown.length > 0) {
    output.stderr.write(
      `Unknown homework ${unknown.join(', ')}; the pack has ${EVERY_HOMEWORK.map((hw) => hw.slug).join(', ')}.\n`,
    );
    return EXIT.other;
  }
  const client = new MljudgeClient(values.url ?? env.MLJUDGE_URL ?? 'http://127.0.0.1:3000', token);
  const directory = values.out ?? (await mkdtemp(path.join(tmpdir(), 'mljudge-course-pack-')));
  const chosen = wanted ? EVERY_HOMEWORK.filter((hw) => wanted.includes(hw.slug)) : DEFAULT_HOMEWORKS;
  for (const homework of chosen) {
    const bundle = await writeBundle(homework, directory, Number(values.seed));
    try {
      const saved = await client.pushTaskBundle(values.course, bundle.directory);
      output.stdout.write(
        `${saved.created ? 'created' : 'updated'} ${saved.task.slug} v${saved.task.version}: ${saved.rows.public} public + ${saved.rows.private} private hidden rows (sample: ${bundle.samplePath})\n`,
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      output.stderr.write(`${homework.slug}: ${error.problem.detail} (${error.problem.code})\n`);
      return error.problem.status === 401 || error.problem.status === 403 ? EXIT.auth : EXIT.other;
    }
  }
  return EXIT.ok;
}
