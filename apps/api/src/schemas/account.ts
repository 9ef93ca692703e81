/** The signed-in user as the API shows them (GET /v1/me, and the answer to a sign-in). */
import Type, { type Static } from 'typebox';

export const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  courses: Type.Array(
    Type.Object({ slug: Type.String(), title: Type.String(), role: Type.String(), timeZone: Type.String() }),
  ),
});

export function meView(user: {
  userId: string;
  email: string;
  displayName: string;
  memberships: ReadonlyArray<{ courseSlug: string; title: string; role: string; timeZone: string }>;
}): Static<typeof Me> {
  return {
    id: user.userId,
    email: user.email,
    displayName: user.displayName,
    courses: user.memberships.map((m) => ({
      slug: m.courseSlug,
      title: m.title,
      role: m.role.toLowerCase(),
      timeZone: m.timeZone,
    })),
  };
}
