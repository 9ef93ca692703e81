/** Schemas shared by several routes. One schema library (TypeBox) for requests, responses and OpenAPI. */
import Type from 'typebox';

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'stable machine-readable error code' }),
    instance: Type.Optional(Type.String()),
    line: Type.Optional(Type.Integer({ description: '1-based line of the uploaded file' })),
    column: Type.Optional(Type.Integer({ description: '1-based CSV column' })),
    columnName: Type.Optional(Type.String()),
    expected: Type.Optional(Type.String()),
    found: Type.Optional(Type.String()),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);

export const ProblemRef = Type.Ref('Problem');

export const errorResponses = {
  400: ProblemRef,
  401: ProblemRef,
  403: ProblemRef,
  404: ProblemRef,
  409: ProblemRef,
  413: ProblemRef,
  415: ProblemRef,
  422: ProblemRef,
  429: ProblemRef,
  503: ProblemRef,
} as const;

export const Uuid = Type.String({ format: 'uuid', pattern: '^[0-9a-fA-F-]{36}$' });
export const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' });
export const DateTime = Type.String({ format: 'date-time' });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const CourseQuery = Type.Object({
  course: Type.Optional(
    Type.String({ description: 'course slug; needed only when you belong to two courses with a task of this slug' }),
  ),
});

export const Quota = Type.Object({
  limit: Type.Integer(),
  used: Type.Integer(),
  remaining: Type.Integer(),
  resetsAt: DateTime,
});
