/**
 * The Prisma client behind a handle, for tests and benchmarks that check or seed rows directly.
 * Application code never imports this (the dependency rules refuse it).
 */
export { prismaOf } from './client.ts';
