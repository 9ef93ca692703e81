/**
 * Courses, users, memberships and API tokens. Tokens are 256-bit random strings shown once; only their
 * sha256 is stored (a fast hash is right for high-entropy secrets; passwords get scrypt instead).
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Database, DbOrTx } from './client.ts';
import type { Role, TokenKind } from './generated/prisma/client.ts';
import { disableCourseWebhooksOf } from './webhooks.ts';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keyLength: number,
  options: { N: number; r: number; p: number },
) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
export const TOKEN_PREFIX = 'mlj_';
/** The shortest password a person may choose (generated ones are longer). */
export const MIN_PASSWORD_LENGTH = 10;
// A valid hash of a random password nobody knows, checked when the email has no account.
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`;

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
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
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

/** Sets a member's role; a member who stops being staff loses their course-wide webhooks. */
export async function setMembership(db: DbOrTx, courseId: string, userId: string, role: Role) {
  const membership = await db.membership.upsert({
    where: { courseId_userId: { courseId, userId } },
    create: { courseId, userId, role },
    update: { role },
  });
  if (role === 'STUDENT') await disableCourseWebhooksOf(db, courseId, userId);
  return membership;
}

/**
 * Creates a token and returns it in clear text; this is the only time it exists outside the caller.
 * `secret` lets a seed script use a token it already printed (demo only).
 */
export async function createApiToken(
  db: DbOrTx,
  userId: string,
  name: string,
  options: { expiresAt?: Date; secret?: string; kind?: TokenKind } = {},
) {
  const token = options.secret ?? `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await db.apiToken.upsert({
    where: { tokenHash: hashToken(token) },
    create: {
      userId,
      name,
      kind: options.kind ?? 'API',
      prefix: token.slice(0, 8),
      tokenHash: hashToken(token),
      expiresAt: options.expiresAt ?? null,
    },
    update: { revokedAt: null },
  });
  return { token, record };
}

/** The user behind a token with their memberships, or null when unknown, revoked or expired. */
export async function findTokenOwner(db: DbOrTx, token: string, now = new Date()) {
  const record = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: {
      user: {
        include: { memberships: { include: { course: { select: { slug: true, title: true, timeZone: true } } } } },
      },
    },
  });
  if (!record || record.revokedAt !== null || (record.expiresAt !== null && record.expiresAt <= now)) return null;
  return record;
}

export async function revokeApiToken(db: DbOrTx, tokenId: string, userId: string, now = new Date()): Promise<boolean> {
  const { count } = await db.apiToken.updateMany({
    where: { id: tokenId, userId, revokedAt: null },
    data: { revokedAt: now },
  });
  return count === 1;
}

/** A user's live API tokens (not web sessions), newest first. */
export async function listApiTokens(db: DbOrTx, userId: string, now = new Date()) {
  return db.apiToken.findMany({
    where: { userId, kind: 'API', revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: { createdAt: 'desc' },
  });
}

/**
 * The user whose password this is, or null. A missing account still costs one scrypt, so response
 * times do not tell which emails have accounts.
 */
export async function checkPassword(db: DbOrTx, email: string, password: string) {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return ok && user?.passwordHash ? user : null;
}

/** Sets a new password and revokes the user's other web sessions (a changed password signs them out elsewhere). */
export async function changePassword(
  db: DbOrTx,
  userId: string,
  password: string,
  keepSessionId: string | null,
  now = new Date(),
) {
  await db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(password) } });
  await db.apiToken.updateMany({
    where: { userId, kind: 'SESSION', revokedAt: null, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
    data: { revokedAt: now },
  });
}

export interface RosterEntry {
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  /** A password to set for a new account; accounts created without one get a generated one. */
  readonly password?: string | undefined;
}

export interface RosterOutcome {
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly created: boolean;
  /** Only for accounts this import created with a generated password: shown once to the TA. */
  readonly initialPassword: string | null;
}

/**
 * Adds or updates course members in one transaction. Existing accounts keep their password (a roster
 * re-import must not lock students out); new ones get the given or a generated one.
 */
export async function importRoster(
  db: Database,
  courseId: string,
  entries: readonly RosterEntry[],
): Promise<RosterOutcome[]> {
  const hashed = await Promise.all(
    entries.map(async (entry) => {
      const generated = entry.password === undefined ? randomBytes(9).toString('base64url') : null;
      return { entry, generated, hash: await hashPassword(entry.password ?? generated!) };
    }),
  );
  return db.$transaction(
    async (tx) => {
      const outcomes: RosterOutcome[] = [];
      for (const { entry, generated, hash } of hashed) {
        const email = entry.email.trim().toLowerCase();
        const existing = await tx.user.findUnique({ where: { email } });
        const user = existing
          ? await tx.user.update({
              where: { id: existing.id },
              data: { displayName: entry.displayName, ...(existing.passwordHash ? {} : { passwordHash: hash }) },
            })
          : await tx.user.create({ data: { email, displayName: entry.displayName, passwordHash: hash } });
        await setMembership(tx, courseId, user.id, entry.role);
        const setPassword = !existing || !existing.passwordHash;
        outcomes.push({
          email,
          displayName: user.displayName,
          role: entry.role,
          created: !existing,
          initialPassword: setPassword ? generated : null,
        });
      }
      return outcomes;
    },
    { timeout: 60_000 },
  );
}

/** A course's members with their role, by email. */
export async function courseMembers(db: DbOrTx, courseId: string) {
  const rows = await db.membership.findMany({
    where: { courseId },
    include: { user: true },
    orderBy: { user: { email: 'asc' } },
  });
  return rows.map((row) => ({
    email: row.user.email,
    displayName: row.user.displayName,
    role: row.role,
    hasPassword: row.user.passwordHash !== null,
    joinedAt: row.createdAt,
  }));
}
