/**
 * The demo course `npm start` creates: a TA and three students with API tokens (kept in the data
 * directory so they survive restarts), and the course-pack homeworks uploaded through the REST API,
 * exactly as a TA would.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { MljudgeClient } from '@mljudge/client';
import path from 'node:path';
import { DEMO_HOMEWORKS, writeBundle, type WrittenBundle } from '@mljudge/course-pack';
import { createApiToken, setMembership, upsertCourse, upsertUser, TOKEN_PREFIX, type Database } from '@mljudge/db';

export const DEMO_COURSE = 'ml2023';

interface DemoCredentials {
  readonly password: string;
  readonly tokens: Record<string, string>;
}

const PEOPLE = [
  { email: 'ta@demo.mljudge', name: 'Demo TA', role: 'TA' as const },
  { email: 'student1@demo.mljudge', name: 'Student One', role: 'STUDENT' as const },
  { email: 'student2@demo.mljudge', name: 'Student Two', role: 'STUDENT' as const },
  { email: 'student3@demo.mljudge', name: 'Student Three', role: 'STUDENT' as const },
];

async function credentials(dataDir: string): Promise<DemoCredentials> {
  const file = path.join(dataDir, 'demo-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
  const created: DemoCredentials = {
    password: randomBytes(9).toString('base64url'),
    tokens: Object.fromEntries(
      PEOPLE.map((person) => [person.email, `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`]),
    ),
  };
  await writeFile(file, JSON.stringify(created, null, 2), { mode: 0o600 });
  return created;
}

export interface DemoCourse {
  readonly password: string;
  readonly taToken: string;
  readonly studentToken: string;
  readonly bundles: readonly WrittenBundle[];
}

export async function seedDemoPeople(db: Database, dataDir: string): Promise<Omit<DemoCourse, 'bundles'>> {
  const secrets = await credentials(dataDir);
  const course = await upsertCourse(db, DEMO_COURSE, 'Machine Learning 2023 Spring (demo)', 'Asia/Taipei');
  for (const person of PEOPLE) {
    const user = await upsertUser(db, person.email, person.name, secrets.password);
    await setMembership(db, course.id, user.id, person.role);
    await createApiToken(db, user.id, 'demo', { secret: secrets.tokens[person.email]! });
  }
  return {
    password: secrets.password,
    taToken: secrets.tokens['ta@demo.mljudge']!,
    studentToken: secrets.tokens['student1@demo.mljudge']!,
  };
}

/**
 * Demo deadlines: one and two weeks ahead, at 23:59 in Taipei, kept in the data directory so a restart
 * writes the same task.yaml (and the task version stays) until they pass.
 */
async function demoDeadlines(dataDir: string): Promise<Record<string, string>> {
  const file = path.join(dataDir, 'demo-schedule.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    // A demo whose deadlines have passed would refuse every upload: move them on instead.
    if (Object.values(stored).every((iso) => Date.parse(iso) > Date.now())) return stored;
  }
  const taipeiMidnight = (daysAhead: number) => {
    const taipeiToday = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    return new Date(Date.parse(`${taipeiToday}T23:59:00+08:00`) + daysAhead * 86_400_000).toISOString();
  };
  const schedule = Object.fromEntries(
    DEMO_HOMEWORKS.map((homework, index) => [homework.slug, taipeiMidnight(7 * (index + 1))]),
  );
  await writeFile(file, JSON.stringify(schedule, null, 2));
  return schedule;
}

/** Generates the homeworks (once) and uploads each bundle through the API with the TA's token. */
export async function uploadDemoTasks(
  apiUrl: string,
  taToken: string,
  dataDir: string,
  log: (line: string) => void,
): Promise<WrittenBundle[]> {
  const directory = path.join(dataDir, 'course-pack');
  const written: WrittenBundle[] = [];
  const client = new MljudgeClient(apiUrl, taToken);
  const deadlines = await demoDeadlines(dataDir);
  for (const homework of DEMO_HOMEWORKS) {
    // Generation is deterministic (fixed seed), so rewriting gives the same bundle and the task version stays.
    const deadline = deadlines[homework.slug];
    const bundle = await writeBundle(homework, directory, undefined, {
      deadline: deadline ? new Date(deadline) : undefined,
    });
    await client.pushTaskBundle(DEMO_COURSE, bundle.directory);
    log(`task ${homework.slug} ready (${homework.rows.toLocaleString('en')} hidden rows)`);
    written.push(bundle);
  }
  return written;
}
