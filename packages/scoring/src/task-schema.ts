/**
 * The schema of `task.yaml`, the TA-facing contract of a task bundle. Keys are snake_case as TAs write
 * YAML; unknown keys are errors so a typo (`dealine:`) never silently drops a rule.
 */
import Type, { type Static } from 'typebox';

const MetricSpec = Type.Union([
  Type.String({ description: 'a metric name, e.g. accuracy' }),
  Type.Object(
    {
      name: Type.String(),
      options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      direction: Type.Optional(
        Type.Union([Type.Literal('higher'), Type.Literal('lower')], {
          description: 'program tasks: whether higher or lower values of this program-computed metric are better',
        }),
      ),
    },
    { additionalProperties: false },
  ),
]);

const Program = Type.Object(
  {
    command: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      minItems: 1,
      maxItems: 16,
      description: "argv, run in the bundle's program/ folder inside the sandbox, e.g. [python3, replay.py]",
    }),
    sample: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
      description: 'a file of program/ scored once at bundle upload; a bundle whose program fails on it is refused',
    }),
    splits: Type.Optional(
      Type.Array(Type.Union([Type.Literal('public'), Type.Literal('private')]), {
        minItems: 1,
        uniqueItems: true,
        description: 'the boards the program scores (default both); [public] for tasks without a private board',
      }),
    ),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    memory_mb: Type.Optional(Type.Integer({ minimum: 64, maximum: 65536 })),
    max_processes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
  },
  {
    additionalProperties: false,
    description: "program tasks: the TA's scoring program, run per submission in a sandbox",
  },
);

const FileName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' });

const Images = Type.Object(
  {
    type: Type.Union([Type.Literal('jpeg'), Type.Literal('png')]),
    width: Type.Integer({ minimum: 1, maximum: 4096 }),
    height: Type.Integer({ minimum: 1, maximum: 4096 }),
    count: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100000, description: 'numbered layout: 1.jpg .. <count>.jpg at the root' }),
    ),
    originals: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
        description:
          'a .tar.gz in evaluation/ of the images students start from: the upload must hold the same names, each image labelled by its folder',
      }),
    ),
    max_linf: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 255, description: 'largest L-infinity distance (0-255) to its original' }),
    ),
    archives: Type.Optional(
      Type.Array(Type.Union([Type.Literal('tar.gz'), Type.Literal('zip')]), { minItems: 1, uniqueItems: true }),
    ),
  },
  { additionalProperties: false, description: 'images tasks: what the uploaded archive must hold' },
);

const Evaluator = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,40}$' }),
    model: FileName,
    output: Type.Union([Type.Literal('features'), Type.Literal('detection'), Type.Literal('logits')], {
      description: 'features: [batch, dims]; detection: [batch, 1] probability of a hit; logits: [batch, labels]',
    }),
    threshold: Type.Optional(Type.Number({ description: 'detection: a score at or above it is a hit (default 0.5)' })),
    batch_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
    preprocess: Type.Object(
      {
        width: Type.Integer({ minimum: 1, maximum: 4096 }),
        height: Type.Integer({ minimum: 1, maximum: 4096 }),
        resize: Type.Optional(
          Type.Union([
            Type.Literal('nearest'),
            Type.Literal('bilinear'),
            Type.Literal('bicubic'),
            Type.Literal('lanczos'),
          ]),
        ),
        channel_order: Type.Optional(Type.Union([Type.Literal('rgb'), Type.Literal('bgr')])),
        layout: Type.Optional(Type.Union([Type.Literal('nchw'), Type.Literal('nhwc')])),
        scale: Type.Optional(
          Type.Number({ exclusiveMinimum: 0, description: 'values are divided by it first (255: [0, 1])' }),
        ),
        mean: Type.Optional(Type.Array(Type.Number(), { minItems: 3, maxItems: 3 })),
        std: Type.Optional(Type.Array(Type.Number({ exclusiveMinimum: 0 }), { minItems: 3, maxItems: 3 })),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description: "images tasks: one of the TA's ONNX models in evaluation/, and how images are fed to it",
  },
);

const Threshold = Type.Union([Type.Number(), Type.Record(Type.String(), Type.Number())], {
  description: 'a value of the primary metric, or metric name -> value (all must be met: HW6-style)',
});

const Baseline = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    public: Threshold,
    private: Type.Optional(Threshold),
    points: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);

const Timestamp = Type.String({
  format: 'date-time',
  description: 'ISO 8601 with a zone, e.g. 2023-03-03T23:59:59+08:00',
});

export const TaskYamlSchema = Type.Object(
  {
    slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'lower-case letters, digits and dashes' }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 20000 })),
    format: Type.Union([
      Type.Literal('csv'),
      Type.Literal('text'),
      Type.Literal('onnx'),
      Type.Literal('program'),
      Type.Literal('images'),
    ]),
    program: Type.Optional(Program),
    images: Type.Optional(Images),
    evaluators: Type.Optional(Type.Array(Evaluator, { minItems: 1, maxItems: 8 })),
    evaluation: Type.Optional(
      Type.Object(
        {
          max_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3600 })),
        },
        { additionalProperties: false },
      ),
    ),
    model: Type.Optional(
      Type.Object(
        {
          input: Type.Object(
            {
              dtype: Type.Union([Type.Literal('float32'), Type.Literal('uint8')]),
              shape: Type.Array(Type.Integer({ minimum: 1 }), {
                minItems: 1,
                maxItems: 6,
                description: 'input shape without the batch dimension',
              }),
            },
            { additionalProperties: false },
          ),
          max_parameters: Type.Optional(Type.Integer({ minimum: 1 })),
          over_limit: Type.Optional(Type.Union([Type.Literal('reject'), Type.Literal('zero')])),
          max_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3600 })),
          batch_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
        },
        {
          additionalProperties: false,
          description:
            'ONNX tasks: the input the model gets (hidden inputs.npy rows) and its limits; the output is read as logits over the labels',
        },
      ),
    ),
    id_column: Type.Optional(Type.String({ minLength: 1 })),
    target_column: Type.Optional(
      Type.Union([
        Type.String({ minLength: 1 }),
        Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 16 }),
      ]),
    ),
    prediction_column: Type.Optional(Type.String({ minLength: 1 })),
    metric: MetricSpec,
    report: Type.Optional(Type.Array(MetricSpec, { maxItems: 16 })),
    labels: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 2, maxItems: 100000 })),
    limits: Type.Optional(
      Type.Object(
        {
          daily_submissions: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          max_upload_mb: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2048 })),
        },
        { additionalProperties: false },
      ),
    ),
    opens_at: Type.Optional(Timestamp),
    deadline: Type.Optional(Timestamp),
    reveal_at: Type.Optional(Timestamp),
    baselines: Type.Optional(Type.Array(Baseline, { maxItems: 16 })),
    point_bands: Type.Optional(
      Type.Array(
        Type.Object(
          {
            from: Type.Optional(Type.Number()),
            to: Type.Optional(Type.Number()),
            points: Type.Number({ minimum: 0 }),
          },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: 32,
          description: 'points by interval [from, to) of the primary metric (HW12), instead of baseline points',
        },
      ),
    ),
    selection_limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 20,
        description: 'submissions a student may select for the private board (Kaggle: 2)',
      }),
    ),
    data: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' }), {
        maxItems: 20,
        uniqueItems: true,
        description:
          'public files of the bundle (test inputs, a sample submission) that enrolled students download from the data tab',
      }),
    ),
    public_precision: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 12, description: 'decimal places of public scores shown to students' }),
    ),
    late: Type.Optional(
      Type.Object(
        {
          until: Timestamp,
          policy: Type.Union([Type.Literal('refuse'), Type.Literal('unranked'), Type.Literal('penalty')]),
          factor: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 1,
              description: 'grade multiplier for late work under the penalty policy',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type TaskYaml = Static<typeof TaskYamlSchema>;
export type MetricSpecYaml = Static<typeof MetricSpec>;
export type ThresholdYaml = Static<typeof Threshold>;
export type ImagesYaml = Static<typeof Images>;
export type EvaluatorYaml = Static<typeof Evaluator>;
