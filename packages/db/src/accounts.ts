/**
 * Users, their API tokens and web sessions, and passwords. Tokens are 256-bit random strings shown
 * once; only their sha256 is stored (a fast hash is right for high-entropy secrets; passwords get
 * scrypt instead, see passwords.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { prismaOf, type Database } from './client.ts';
import type { Role, TokenKind } from './generated/prisma/client.ts';
import { normalizeEmail } from './identity.ts';
import { hashPassword, UNKNOWN_ACCOUNT_HASH, verifyPassword } from './passwords.ts';

export const TOKEN_PREFIX = 'mlj_';
/** Live API tokens one user may hold; each is a credential to keep track of. */
export const MAX_API_TOKENS = 50;
/** lastUsedAt is written at most this often per token, so reads stay reads. */
const LAST_USED_RESOLUTION_SECONDS = 60;

/** sha256 hex of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface UserAccount {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly siteAdmin: boolean;
}

/**
 * Creates or updates an account by email (demo seeding, tests). `passwordHash` lets a caller reuse a
 * hash it made once for many accounts.
 */
export async function upsertUser(
  database: Database,
  email: string,
  displayName: string,
  password?: string | { readonly passwordHash: string },
): Promise<UserAccount> {
  const normalized = normalizeEmail(email);
  const passwordHash =
    password === undefined
      ? undefined
      : typeof password === 'string'
        ? await hashPassword(password)
        : password.passwordHash;
  const user = await prismaOf(database).user.upsert({
    where: { email: normalized },
    create: { email: normalized, displayName, passwordHash: passwordHash ?? null },
    update: { displayName, ...(passwordHash ? { passwordHash } : {}) },
  });
  return accountOf(user);
}

function accountOf(user: { id: string; email: string; displayName: string; siteAdmin: boolean }): UserAccount {
  return { id: user.id, email: user.email, displayName: user.displayName, siteAdmin: user.siteAdmin };
}

/** An account by id, or null. */
export async function findUser(database: Database, id: string): Promise<UserAccount | null> {
  const user = await prismaOf(database).user.findUnique({ where: { id } });
  return user ? accountOf(user) : null;
}

export class TokenLimitError extends Error {
  override name = 'TokenLimitError';
}

export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/**
 * Creates a token and returns it in clear text; this is the only time it exists outside the caller.
 * API tokens are capped per user (TokenLimitError). `secret` lets a seed script use a token it already
 * printed (demo only).
 */
export async function createApiToken(
  database: Database,
  userId: string,
  name: string,
  options: { expiresAt?: Date; secret?: string; kind?: TokenKind; now?: Date } = {},
): Promise<{ token: string; record: TokenRecord }> {
  const db = prismaOf(database);
  const kind = options.kind ?? 'API';
  const token = options.secret ?? `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    if (kind === 'API') {
      // One lock per user keeps the count and the insert together.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`tokens:${userId}`}, 0))`;
      const live = await tx.apiToken.count({
        where: { userId, kind: 'API', revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      });
      if (live >= MAX_API_TOKENS && !options.secret) {
        throw new TokenLimitError(`You already have ${live} API tokens; revoke one you no longer use.`);
      }
    }
    const record = await tx.apiToken.upsert({
      where: { tokenHash: hashToken(token) },
      create: {
        userId,
        name,
        kind,
        prefix: token.slice(0, 8),
        tokenHash: hashToken(token),
        expiresAt: options.expiresAt ?? null,
      },
      update: { revokedAt: null },
    });
    return { token, record };
  });
}

export interface CourseMembership {
  readonly courseId: string;
  readonly courseSlug: string;
  readonly title: string;
  readonly timeZone: string;
  readonly role: Role;
}

export interface TokenOwner {
  readonly tokenId: string;
  readonly kind: TokenKind;
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly siteAdmin: boolean;
  readonly memberships: readonly CourseMembership[];
}

/**
 * The user behind a live token, with their memberships, in one round trip; null when the token is
 * unknown, revoked or expired. Marks the token used (at most once a minute).
 */
export async function authenticateToken(database: Database, token: string, now: Date): Promise<TokenOwner | null> {
  const rows = await prismaOf(database).$queryRaw<
    Array<Omit<TokenOwner, 'memberships'> & { memberships: CourseMembership[] }>
  >`
    WITH token AS (
      SELECT t.id, t.kind, t."userId" FROM "ApiToken" t
      WHERE t."tokenHash" = ${hashToken(token)} AND t."revokedAt" IS NULL
        AND (t."expiresAt" IS NULL OR t."expiresAt" > ${now})
    ), touched AS (
      UPDATE "ApiToken" SET "lastUsedAt" = ${now}
      WHERE id = (SELECT id FROM token)
        AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${now}::timestamptz - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}))
      RETURNING id
    )
    SELECT token.id AS "tokenId", token.kind::text AS kind, u.id AS "userId", u.email, u."displayName",
           u."siteAdmin",
           COALESCE((
             SELECT json_agg(json_build_object('courseId', m."courseId", 'courseSlug', c.slug, 'title', c.title,
                                               'timeZone', c."timeZone", 'role', m.role) ORDER BY c.slug)
             FROM "Membership" m JOIN "Course" c ON c.id = m."courseId" WHERE m."userId" = u.id
           ), '[]'::json) AS memberships
    FROM token JOIN "User" u ON u.id = token."userId"`;
  return rows[0] ?? null;
}

/** Revokes one of the user's credentials (a token or a session); false when it was not live. */
export async function revokeToken(database: Database, tokenId: string, userId: string, now: Date): Promise<boolean> {
  const { count } = await prismaOf(database).apiToken.updateMany({
    where: { id: tokenId, userId, revokedAt: null },
    data: { revokedAt: now },
  });
  return count === 1;
}

/** Revokes one of the user's API tokens (not a web session); false when there is no such live token. */
export async function revokeApiToken(database: Database, tokenId: string, userId: string, now: Date): Promise<boolean> {
  const { count } = await prismaOf(database).apiToken.updateMany({
    where: { id: tokenId, userId, kind: 'API', revokedAt: null },
    data: { revokedAt: now },
  });
  return count === 1;
}

/** A user's live API tokens (not web sessions), newest first. */
export async function listApiTokens(database: Database, userId: string, now: Date): Promise<TokenRecord[]> {
  return prismaOf(database).apiToken.findMany({
    where: { userId, kind: 'API', revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, prefix: true, createdAt: true, expiresAt: true, lastUsedAt: true },
  });
}

/**
 * The account whose password this is, or null. A missing account still costs one full hash, so
 * response times do not tell which emails have accounts. A hash made at a lower cost is replaced.
 */
export async function checkPassword(database: Database, email: string, password: string): Promise<UserAccount | null> {
  const db = prismaOf(database);
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) } });
  const check = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_ACCOUNT_HASH);
  if (!check.ok || !user?.passwordHash) return null;
  if (check.outdated)
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  return accountOf(user);
}

/** True when `password` is the user's current one; an account without a password has none to match. */
export async function passwordMatches(database: Database, userId: string, password: string): Promise<boolean> {
  const user = await prismaOf(database).user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user?.passwordHash) return false;
  return (await verifyPassword(password, user.passwordHash)).ok;
}

/** True when the account has a password (web sign-in); accounts made by OpenID Connect may not. */
export async function hasPassword(database: Database, userId: string): Promise<boolean> {
  const user = await prismaOf(database).user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return Boolean(user?.passwordHash);
}

/**
 * Sets a new password and ends every other credential of the user, web sessions and API tokens
 * alike: whoever knew the old password may have made either. `keepTokenId` (the one in use) stays.
 */
export async function changePassword(
  database: Database,
  userId: string,
  password: string,
  keepTokenId: string | null,
  now: Date,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  const db = prismaOf(database);
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { passwordHash } }),
    db.apiToken.updateMany({
      where: { userId, revokedAt: null, ...(keepTokenId ? { id: { not: keepTokenId } } : {}) },
      data: { revokedAt: now },
    }),
  ]);
}

/** A user's courses with their role. */
export async function membershipsOf(database: Database, userId: string): Promise<CourseMembership[]> {
  const rows = await prismaOf(database).membership.findMany({
    where: { userId },
    include: { course: true },
    orderBy: { course: { slug: 'asc' } },
  });
  return rows.map((m) => ({
    courseId: m.courseId,
    courseSlug: m.course.slug,
    title: m.course.title,
    timeZone: m.course.timeZone,
    role: m.role,
  }));
}
