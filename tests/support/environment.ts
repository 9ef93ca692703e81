/** Where tests find Postgres and Redis (CI and the dev machines run both on loopback). */
export const TEST_POSTGRES_ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEMPLATE_DATABASE = `mljudge_test_template_${process.pid}`;
