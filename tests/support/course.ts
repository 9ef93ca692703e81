/** A course with a TA, an admin and students, and tasks pushed through the API as a TA does. */
import { expect } from 'vitest';
import { bundleFile, bundleUpload } from './bundles.ts';
import { seedCourse, seedUser } from './fixtures.ts';
import type { TestStack } from './stack.ts';

export interface TestCourse {
  readonly slug: string;
  readonly id: string;
  readonly ta: string;
  readonly admin: string;
  /** Student tokens by name (email `<name>@example.edu`). */
  readonly students: Record<string, string>;
}

export async function seedTestCourse(
  stack: TestStack,
  slug: string,
  students: readonly string[] = [],
): Promise<TestCourse> {
  const course = await seedCourse(stack.database.db, slug);
  const tokens: Record<string, string> = {};
  for (const name of students) tokens[name] = (await seedUser(stack.database.db, course.id, 'STUDENT', name)).token;
  return {
    slug,
    id: course.id,
    ta: (await seedUser(stack.database.db, course.id, 'TA', `${slug}-ta`)).token,
    admin: (await seedUser(stack.database.db, course.id, 'ADMIN', `${slug}-admin`)).token,
    students: tokens,
  };
}

/** covid-mini (8 rows, MSE) under another slug with extra task.yaml lines. */
export function covidTask(slug: string, extra = ''): { taskYaml: string } {
  return {
    taskYaml: bundleFile('covid-mini', 'task.yaml').toString().replace('slug: covid-mini', `slug: ${slug}`) + extra,
  };
}

/** A prediction for covid-mini off by `publicError` on its public rows and `privateError` on its private ones. */
export function covidPrediction(publicError: number, privateError: number): string {
  const truth = [10.0, 12.5, 8.0, 9.5, 15.0, 11.0, 7.25, 13.0];
  return `id,tested_positive\n${truth.map((value, id) => `${id},${value + (id % 2 === 0 ? publicError : privateError)}`).join('\n')}\n`;
}

export async function pushTask(stack: TestStack, course: TestCourse, files: { taskYaml: string; solution?: string }) {
  const upload = bundleUpload('covid-mini', files);
  const response = await stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${course.slug}/tasks`,
    payload: upload.payload,
    headers: { ...upload.headers, authorization: `Bearer ${course.ta}` },
  });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json<{ task: { slug: string; version: number } }>();
}
