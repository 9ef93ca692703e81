/**
 * Runs once per `vitest run`: migrates a template database with the same applier production uses.
 * Every test file then clones it (`CREATE DATABASE ... TEMPLATE`), which takes milliseconds and keeps
 * files independent so they can run in parallel.
 */
import { applyMigrations, dropDatabase, ensureDatabase, withDatabaseName } from '@mljudge/db';
import type { TestProject } from 'vitest/node';
import { TEMPLATE_DATABASE, TEST_POSTGRES_ADMIN_URL } from './environment.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await dropDatabase(TEST_POSTGRES_ADMIN_URL, TEMPLATE_DATABASE);
  await ensureDatabase(TEST_POSTGRES_ADMIN_URL, TEMPLATE_DATABASE);
  await applyMigrations(withDatabaseName(TEST_POSTGRES_ADMIN_URL, TEMPLATE_DATABASE));
  project.provide('templateDatabase', TEMPLATE_DATABASE);
  return async () => {
    await dropDatabase(TEST_POSTGRES_ADMIN_URL, TEMPLATE_DATABASE);
  };
}
