/** Schemas shared by several resources. One schema library (TypeBox) for requests, responses and OpenAPI. */
import Type, { type TSchema } from 'typebox';

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
    program: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          "staff only, PROGRAM_FAILED: what the task's scoring program did (reason, exitCode, signal, timedOut, wallMs, stderr)",
      }),
    ),
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
  410: ProblemRef,
  413: ProblemRef,
  415: ProblemRef,
  422: ProblemRef,
  429: ProblemRef,
  503: ProblemRef,
} as const;

/**
 * Ajv format of text a person types (names, reasons, messages): no NUL and no other control
 * characters but tab. The error handler answers a failure with 422 TEXT_FIELD_INVALID.
 */
export const PLAIN_TEXT_FORMAT = 'plain-text';
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000A-\u001F\u007F]/u;

/** True when `text` has no control character but tab (see PLAIN_TEXT_FORMAT). */
export const isPlainText = (text: string) => !CONTROL_CHARACTERS.test(text);

/** A single-line text field a person typed. */
export const Text = (options: { minLength?: number; maxLength: number; description?: string }) =>
  Type.String({ ...options, format: PLAIN_TEXT_FORMAT });

export const Uuid = Type.String({
  format: 'uuid',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});
export const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' });
export const DateTime = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const CourseQuery = Type.Object({
  course: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
      description: 'course slug; needed only when you belong to two courses with a task of this slug',
    }),
  ),
});

export const TaskParams = Type.Object({ slug: Slug });
export const CourseParams = Type.Object({ course: Slug });
export const IdParams = Type.Object({ id: Uuid });

export const Quota = Type.Object({
  limit: Type.Integer(),
  used: Type.Integer(),
  remaining: Type.Integer(),
  resetsAt: DateTime,
  extended: Type.Boolean({ description: 'a TA gave extra submissions a day' }),
});
