/**
 * Courses, users, memberships and API tokens. Tokens are 256-bit random strings shown once; only their
 * sha256 is stored (a fast hash is right for high-entropy secrets; passwords get scrypt instead).
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { DbOrTx } from './client.ts';
import type { Role } from './generated/prisma/client.ts';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keyLength: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
export const TOKEN_PREFIX = 'mlj_';

/** sha256 hex of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Hashes a password with scrypt into `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

export async function upsertCourse(db: DbOrTx, slug: string, title: string, timeZone = 'Asia/Taipei') {
  return db.course.upsert({ where: { slug }, create: { slug, title, timeZone }, update: { title, timeZone } });
}

export async function upsertUser(db: DbOrTx, email: string, displayName: string, password?: string) {
  const normalized = email.trim().toLowerCase();
  const passwordHash = password === undefined ? undefined : await hashPassword(password);
  return db.user.upsert({
    where: { email: normalized },
    create: { email: normalized, displayName, passwordHash: passwordHash ?? null },
    update: { displayName, ...(passwordHash ? { passwordHash } : {}) },
  });
}

export async function setMembership(db: DbOrTx, courseId: string, userId: string, role: Role) {
  return db.membership.upsert({ where: { courseId_userId: { courseId, userId } }, create: { courseId, userId, role }, update: { role } });
}

/**
 * Creates a token and returns it in clear text; this is the only time it exists outside the caller.
 * `secret` lets a seed script use a token it already printed (demo only).
 */
export async function createApiToken(db: DbOrTx, userId: string, name: string, options: { expiresAt?: Date; secret?: string } = {}) {
  const token = options.secret ?? `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await db.apiToken.upsert({
    where: { tokenHash: hashToken(token) },
    create: { userId, name, prefix: token.slice(0, 8), tokenHash: hashToken(token), expiresAt: options.expiresAt ?? null },
    update: { revokedAt: null },
  });
  return { token, record };
}

/** The user behind a token with their memberships, or null when unknown, revoked or expired. */
export async function findTokenOwner(db: DbOrTx, token: string, now = new Date()) {
  const record = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { include: { memberships: { include: { course: { select: { slug: true, timeZone: true } } } } } } },
  });
  if (!record || record.revokedAt !== null || (record.expiresAt !== null && record.expiresAt <= now)) return null;
  return record;
}

export async function revokeApiToken(db: DbOrTx, tokenId: string, userId: string): Promise<boolean> {
  const { count } = await db.apiToken.updateMany({ where: { id: tokenId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count === 1;
}
