/**
 * Which failures mean "the database is not there right now" (503 and a retry) rather than a bug:
 * the shapes below are the ones Prisma 7 with @prisma/adapter-pg produced during a PostgreSQL
 * restart in tests/e2e/restarts.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { isUnavailableError } from './client.ts';
import { Prisma } from './generated/prisma/client.ts';

function knownError(code: string, meta?: Record<string, unknown>) {
  return new Prisma.PrismaClientKnownRequestError('failed', { code, clientVersion: 'test', meta });
}

const adapterCause = (cause: Record<string, unknown>) => ({
  driverAdapterError: { name: 'DriverAdapterError', cause },
});

describe('isUnavailableError', () => {
  it('counts an unreachable server behind a raw query (P2010) as unavailable', () => {
    expect(
      isUnavailableError(
        knownError('P2010', adapterCause({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5 })),
      ),
    ).toBe(true);
    expect(isUnavailableError(knownError('P2010', adapterCause({ kind: 'ConnectionClosed' })))).toBe(true);
  });

  it('counts a server shutting down (57P01) and serialization failures as unavailable', () => {
    expect(
      isUnavailableError(
        knownError('P2010', adapterCause({ kind: 'postgres', code: '57P01', message: 'terminating' })),
      ),
    ).toBe(true);
    expect(isUnavailableError(knownError('P2034'))).toBe(true);
    expect(isUnavailableError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('leaves real query errors alone', () => {
    expect(isUnavailableError(knownError('P2002'))).toBe(false);
    expect(
      isUnavailableError(knownError('P2010', adapterCause({ kind: 'postgres', code: '42703', message: 'no column' }))),
    ).toBe(false);
    expect(isUnavailableError(knownError('P2010', adapterCause({ kind: 'UniqueConstraintViolation' })))).toBe(false);
    expect(isUnavailableError(new TypeError('undefined is not a function'))).toBe(false);
  });
});
