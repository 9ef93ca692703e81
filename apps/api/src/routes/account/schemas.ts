/** Schemas of the account resource: me, sign-in, tokens, password, webhook deliveries. */
import type { CourseMembership, TokenRecord } from '@mljudge/db';
import Type, { type Static } from 'typebox';
import { DateTime, Nullable, Text } from '../../schemas/common.ts';

export const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  siteAdmin: Type.Boolean({ description: 'runs this mljudge site (creates courses)' }),
  courses: Type.Array(
    Type.Object({ slug: Type.String(), title: Type.String(), role: Type.String(), timeZone: Type.String() }),
  ),
});

export function meView(user: {
  userId: string;
  email: string;
  displayName: string;
  siteAdmin: boolean;
  memberships: readonly CourseMembership[];
}): Static<typeof Me> {
  return {
    id: user.userId,
    email: user.email,
    displayName: user.displayName,
    siteAdmin: user.siteAdmin,
    courses: user.memberships.map((m) => ({
      slug: m.courseSlug,
      title: m.title,
      role: m.role.toLowerCase(),
      timeZone: m.timeZone,
    })),
  };
}

export const SignIn = Type.Object({
  email: Text({ minLength: 3, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

export const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'the first characters of the token, to tell tokens apart' }),
  createdAt: DateTime,
  expiresAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
});

export function tokenView(token: TokenRecord): Static<typeof TokenView> {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}

export const TokenBody = Type.Object({
  name: Text({ minLength: 1, maxLength: 80 }),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
});

export const PasswordChange = Type.Object({
  currentPassword: Type.String({ maxLength: 1024 }),
  newPassword: Type.String({ maxLength: 1024 }),
});

export const Delivery = Type.Object({
  id: Type.String(),
  submissionId: Type.String(),
  event: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  createdAt: DateTime,
  deliveredAt: Nullable(DateTime),
});
