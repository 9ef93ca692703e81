/**
 * Password hashing with scrypt at OWASP's recommended cost (N=2^14, r=8, p=5: 16 MiB, a few hundred
 * milliseconds of CPU). Hashing runs on libuv's thread pool, which file writes share, so a flood of
 * sign-ins could stall every upload: hashes run a few at a time, and past a short queue a new one is
 * refused at once (the API answers 503) instead of waiting behind the flood.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** The cost new hashes get. Stored hashes carry their own, so raising it never locks anyone out. */
export const PASSWORD_COST: ScryptCost = { N: 16384, r: 8, p: 5 };
const KEY_BYTES = 32;
/** The shortest password a person may choose (generated ones are longer). */
export const MIN_PASSWORD_LENGTH = 10;

/** Why `password` cannot be chosen, or null when it can (generated passwords always can). */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 1024) return 'may have at most 1024 characters';
  if (password.trim().length < MIN_PASSWORD_LENGTH)
    return `needs at least ${MIN_PASSWORD_LENGTH} characters other than spaces`;
  return null;
}

export class PasswordHashingBusyError extends Error {
  override name = 'PasswordHashingBusyError';
}

interface Limits {
  concurrency: number;
  maxWaiting: number;
}

const limits: Limits = { concurrency: 1, maxWaiting: 32 };
let running = 0;
const waiting: Array<() => void> = [];

/**
 * Sets how many hashes run at once and how many may wait (once per process, from config). One at a
 * time leaves the rest of libuv's threads to file I/O.
 */
export function configurePasswordHashing(next: Partial<Limits>): void {
  Object.assign(limits, next);
}

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= limits.concurrency) {
    if (waiting.length >= limits.maxWaiting) throw new PasswordHashingBusyError('Too many password checks at once.');
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, length: number, cost: ScryptCost): Promise<Buffer> {
  return withSlot(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        // maxmem: scrypt needs 128 * N * r * p bytes; leave room above it.
        scrypt(password, salt, length, { ...cost, maxmem: 256 * cost.N * cost.r * cost.p }, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

function encode(cost: ScryptCost, salt: Buffer, hash: Buffer): string {
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Hashes a password into `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string, cost: ScryptCost = PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  return encode(cost, salt, await derive(password, salt, KEY_BYTES, cost));
}

export interface PasswordCheck {
  readonly ok: boolean;
  /** The hash was made at a lower cost than new hashes get: store a fresh one. */
  readonly outdated: boolean;
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return { ok: false, outdated: false };
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), expected.length, cost);
  const outdated = cost.N * cost.r * cost.p < PASSWORD_COST.N * PASSWORD_COST.r * PASSWORD_COST.p;
  return { ok: timingSafeEqual(actual, expected), outdated };
}

/** A valid hash of a random password nobody knows: checked when an email has no account, at full cost. */
export const UNKNOWN_ACCOUNT_HASH = encode(PASSWORD_COST, randomBytes(16), randomBytes(KEY_BYTES));

/** A random password for an account created without one (72 bits). */
export function generatedPassword(): string {
  return randomBytes(9).toString('base64url');
}
