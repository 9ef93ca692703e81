/**
 * Every error code the service answers with: its HTTP status and what it means. AppError takes a code
 * from here and the status with it, so a code cannot be thrown undocumented or with another status;
 * problem documents point to the page built from this table (`type: /docs/problems#csv-duplicate-id`).
 * Rejections of a file come from the scoring packages with their own codes, listed here too: a test
 * scores every kind of bad file and checks each code it sees is in this table.
 */

export const PROBLEMS = {
  // The uploaded file (a REJECTED submission; never costs quota).
  FILE_EMPTY: { status: 422, meaning: 'The file has no content (or only blank lines).' },
  FILE_BINARY: { status: 422, meaning: 'The file contains NUL bytes: it is not text (an archive or an image?).' },
  FILE_ENCODING: { status: 422, meaning: 'The file is not UTF-8; save it as UTF-8.' },
  CSV_HEADER: { status: 422, meaning: 'The header lacks a required column, repeats one, or has an unexpected one.' },
  CSV_NO_ROWS: { status: 422, meaning: 'The file has a header but no predictions.' },
  CSV_FIELD_COUNT: {
    status: 422,
    meaning: 'A row has more or fewer fields than the header (often an unquoted comma).',
  },
  CSV_UNTERMINATED_QUOTE: { status: 422, meaning: 'A quoted field is never closed.' },
  CSV_MALFORMED_QUOTE: { status: 422, meaning: 'Text follows the closing quote of a quoted field.' },
  CSV_EMPTY_VALUE: { status: 422, meaning: 'An id or a prediction is empty.' },
  CSV_UNKNOWN_ID: { status: 422, meaning: 'An id is not one of the test set.' },
  CSV_DUPLICATE_ID: { status: 422, meaning: 'An id appears twice; the message names the first line it was on.' },
  CSV_MISSING_IDS: { status: 422, meaning: 'Some test ids have no prediction; the message lists the first few.' },
  CSV_INVALID_NUMBER: { status: 422, meaning: 'A prediction that must be a number is not one.' },
  CSV_NON_FINITE: { status: 422, meaning: 'A prediction is NaN or infinite.' },
  CSV_INVALID_LABEL: { status: 422, meaning: 'A predicted label is not one of the labels the task lists.' },
  TEXT_LINE_COUNT: {
    status: 422,
    meaning: 'A plain-text file must have exactly one line per test item, in order, without a header.',
  },
  METRIC_EMPTY: { status: 422, meaning: 'The metric got no rows.' },
  METRIC_LENGTH: { status: 422, meaning: 'Predictions and truth differ in length.' },
  METRIC_NON_FINITE: { status: 422, meaning: 'A value given to the metric is NaN or infinite.' },
  METRIC_NOT_BINARY: { status: 422, meaning: 'A binary metric got more than two classes.' },
  METRIC_SINGLE_CLASS: { status: 422, meaning: 'The metric is undefined with a single class present.' },
  METRIC_LABEL: { status: 422, meaning: 'A class code is out of range.' },
  METRIC_INPUT: { status: 422, meaning: 'The metric got the wrong kind of input.' },
  METRIC_OPTION: { status: 422, meaning: 'A metric option is invalid.' },
  ONNX_INVALID: { status: 422, meaning: 'The file is not a readable ONNX model.' },
  ONNX_VERSION: { status: 422, meaning: 'The model IR version or opset is outside the range this grader runs.' },
  ONNX_CUSTOM_OP: {
    status: 422,
    meaning: 'The model uses operators outside the standard ONNX domains (or model-local functions).',
  },
  ONNX_EXTERNAL_DATA: {
    status: 422,
    meaning: 'The model keeps weights in an external file; save everything in one .onnx file.',
  },
  ONNX_SHAPE_TOO_LARGE: { status: 422, meaning: 'An input or output declares an absurdly large shape.' },
  ONNX_TOO_MANY_PARAMETERS: {
    status: 422,
    meaning: 'The model has more parameters than the task allows (counted by the grader).',
  },
  ONNX_INPUT: {
    status: 422,
    meaning: "The model's input does not match the task: count, element type, rank or fixed sizes.",
  },
  ONNX_OUTPUT: { status: 422, meaning: "The model's output is not float32 logits of shape [batch, classes]." },
  ONNX_SESSION: { status: 422, meaning: 'onnxruntime could not load the model.' },
  ONNX_NON_FINITE_OUTPUT: { status: 422, meaning: 'The model produced NaN or infinite logits; the row is given.' },
  ONNX_TIMEOUT: { status: 422, meaning: "The model did not finish the hidden inputs within the task's time limit." },
  ONNX_MEMORY: { status: 422, meaning: 'The model used more memory than the grader allows.' },
  ONNX_RUNTIME: {
    status: 422,
    meaning:
      "The model loaded but failed while running (a batch size fixed at export, a Reshape that does not fit, an allocation onnxruntime refused); onnxruntime's message is given.",
  },
  TEXT_LINE_TOO_LONG: {
    status: 422,
    meaning: 'A line of a plain-text prediction is longer than the task allows; the line is given.',
  },
  CSV_LABEL_FORMAT: {
    status: 422,
    meaning:
      "A label is written in another form than the task's labels (3.0 for 3, or an id that lost its leading zeros).",
  },
  ARCHIVE_TYPE: {
    status: 422,
    meaning: 'The upload is not an archive this task takes (.tar.gz or .zip, told apart by content, not name).',
  },
  ARCHIVE_INVALID: { status: 422, meaning: 'The archive is corrupt or truncated.' },
  ARCHIVE_UNSAFE_PATH: { status: 422, meaning: 'An archive entry is an absolute path or climbs out with `..`.' },
  ARCHIVE_NOT_A_FILE: { status: 422, meaning: 'An archive entry is a link or a device, not a regular file.' },
  ARCHIVE_TOO_MANY_FILES: { status: 422, meaning: 'The archive holds far more files than the task takes.' },
  ARCHIVE_TOO_LARGE_INFLATED: {
    status: 422,
    meaning: 'The archive inflates to more than the images of this task can take (a decompression bomb?).',
  },
  IMAGE_MISSING: { status: 422, meaning: 'An image the task takes is not in the archive; the first is named.' },
  IMAGE_EXTRA_FILE: { status: 422, meaning: 'The archive holds a file the task does not take; it is named.' },
  IMAGE_DUPLICATE: { status: 422, meaning: 'The archive holds one name twice.' },
  IMAGE_NESTED_FOLDER: {
    status: 422,
    meaning: 'The images are inside a folder they should not be in; the message gives the tar command that fixes it.',
  },
  IMAGE_WRONG_NAME: {
    status: 422,
    meaning: 'An image has the right number but the wrong extension (2.png for 2.jpg).',
  },
  IMAGE_WRONG_TYPE: {
    status: 422,
    meaning: 'A file holds another image type than its name and the task say (a PNG named .jpg), or no image.',
  },
  IMAGE_WRONG_SIZE: { status: 422, meaning: 'An image is not the width and height the task takes.' },
  IMAGE_WRONG_DEPTH: { status: 422, meaning: 'An image has 16 bits per channel; the task takes 8.' },
  IMAGE_WRONG_COLOURS: { status: 422, meaning: 'An image is CMYK; save it as RGB.' },
  IMAGE_CORRUPT: { status: 422, meaning: 'An image cannot be decoded (truncated or damaged); it is named.' },
  IMAGE_LINF_EXCEEDED: {
    status: 422,
    meaning:
      'An attacked image is farther from its original (L∞, 0-255) than the task allows; it is named with its distance.',
  },
  // Failures on our side (FAILED; never cost quota).
  SCORING_FAILED: {
    status: 500,
    meaning: 'Scoring failed repeatedly on our side; the submission does not count against your quota.',
  },
  PROGRAM_FAILED: {
    status: 500,
    meaning:
      "The task's scoring program (the TAs' code) failed on this file: it crashed, ran out of time or memory, or answered off-contract. The TAs see why; it does not count against your quota.",
  },
  GRADER_CRASHED: {
    status: 500,
    meaning:
      'Scoring this file stopped the grader several times; the TAs have been told. It does not count against your quota.',
  },
  // Task bundles (TAs).
  BUNDLE_PROGRAM_FAILED: {
    status: 422,
    meaning:
      "The bundle's scoring program failed on its sample submission (program.sample) in the sandbox; its stderr is quoted.",
  },
  BUNDLE_EVALUATOR_INVALID: {
    status: 422,
    meaning:
      "An evaluator model of an images task fails the checks a student's model must pass (operators, external data, input and output shapes against its preprocessing).",
  },
  BUNDLE_EVALUATOR_FAILED: {
    status: 422,
    meaning: "An evaluator model could not run on the bundle's own images (originals or real images).",
  },
  BUNDLE_IMAGES_INVALID: {
    status: 422,
    meaning:
      "The bundle's originals or real images break the task's own image rules, or sit in folders that are not labels.",
  },
  BUNDLE_REFERENCE_INVALID: {
    status: 422,
    meaning: 'The FID reference statistics (mu and sigma .npy) are unreadable or of mismatched shapes.',
  },
  SANDBOX_UNAVAILABLE: {
    status: 503,
    meaning:
      'This server cannot sandbox scoring programs (bubblewrap missing or not permitted), so program tasks cannot be checked here.',
  },
  TASK_YAML_SYNTAX: { status: 422, meaning: 'task.yaml is not valid YAML; the line and column are given.' },
  TASK_YAML_INVALID: {
    status: 422,
    meaning: 'task.yaml has an unknown key, a wrong type or an inconsistent rule; the key path is given.',
  },
  TASK_LABELS: { status: 422, meaning: 'task.yaml lists a label twice.' },
  TASK_CONFIG_MISSING: { status: 500, meaning: 'A stored task lost its configuration.' },
  SOLUTION_EMPTY: { status: 422, meaning: 'solution.csv has no header or no rows.' },
  SOLUTION_INVALID: { status: 422, meaning: 'A row of solution.csv is malformed; the line is given.' },
  SOLUTION_NO_PUBLIC: { status: 422, meaning: 'solution.csv has no Public row.' },
  SOLUTION_NOT_BINARY: { status: 422, meaning: 'A binary metric needs exactly two classes in solution.csv.' },
  SOLUTION_METRIC_UNDEFINED: {
    status: 422,
    meaning: 'The metric is undefined on one split of solution.csv (say, one class only for ROC AUC).',
  },
  BUNDLE_INCOMPLETE: { status: 422, meaning: 'A bundle needs task.yaml and solution.csv.' },
  BUNDLE_MISSING_FILE: { status: 422, meaning: 'A bundle directory lacks task.yaml or solution.csv.' },
  BUNDLE_INPUTS_INVALID: {
    status: 422,
    meaning: 'inputs.npy of an onnx task is unreadable or does not match the declared dtype and shape.',
  },
  BUNDLE_DATA_MISMATCH: {
    status: 422,
    meaning: "The bundle's public files (under data/) differ from the list in task.yaml's `data`.",
  },
  BUNDLE_ARCHIVE_INVALID: {
    status: 422,
    meaning: 'The .tar.gz is corrupt, too large when inflated, or holds links or unsafe paths.',
  },
  // Requests.
  CURSOR_INVALID: { status: 400, meaning: 'A leaderboard `after` cursor was not made by this server.' },
  UNAUTHENTICATED: { status: 401, meaning: 'Send an API token as "Authorization: Bearer <token>".' },
  TOKEN_INVALID: { status: 401, meaning: 'The token is unknown, revoked or expired.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    meaning:
      'The Idempotency-Key was already used for a different file; a retry must send the same file, a new upload a new key.',
  },
  SESSION_EXPIRED: {
    status: 401,
    meaning: 'The web session ended (signed out, expired, or the password changed); sign in again.',
  },
  CSRF_HEADER_MISSING: {
    status: 403,
    meaning:
      'A request that changes something with the session cookie must send the X-Requested-With header (the web app does).',
  },
  LOGIN_FAILED: { status: 401, meaning: 'The email or the password is wrong.' },
  LOGIN_RATE_LIMITED: {
    status: 429,
    meaning: 'Too many failed sign-ins for this email in the last minute; see Retry-After.',
  },
  PASSWORD_WEAK: { status: 422, meaning: 'A new password needs at least 10 characters other than spaces.' },
  PASSWORD_WRONG: { status: 403, meaning: 'The current password given to change it is wrong.' },
  ROSTER_INVALID: {
    status: 422,
    meaning:
      'A roster row is malformed: the line and column (CSV) or the JSON pointer, and what was expected, are given. Nobody was added.',
  },
  FORBIDDEN: { status: 403, meaning: 'Your role in the course does not allow this.' },
  NOT_FOUND: { status: 404, meaning: 'No such thing, or it is not yours to see.' },
  ROUTE_NOT_FOUND: { status: 404, meaning: 'No such route; see /docs.' },
  TASK_AMBIGUOUS: { status: 409, meaning: 'Several of your courses have a task of this slug; add ?course=.' },
  TASK_NOT_OPEN: { status: 403, meaning: 'Submissions have not opened yet.' },
  DEADLINE_PASSED: { status: 403, meaning: 'The deadline (and any late window) has passed.' },
  TASK_ARCHIVED: { status: 403, meaning: 'The TAs archived this task: it is read-only and takes no uploads.' },
  COURSE_EXISTS: { status: 409, meaning: 'A course with this slug exists already.' },
  COURSE_INVALID: { status: 422, meaning: 'The course slug, title, time zone or best-of rule is not valid.' },
  MEMBER_NOT_FOUND: { status: 404, meaning: 'No member of this course has that email.' },
  LAST_ADMIN: { status: 409, meaning: 'A course keeps at least one admin: make someone else admin first.' },
  QUOTA_EXCEEDED: {
    status: 429,
    meaning: 'No submissions left today; the quota resets at midnight in the course time zone.',
  },
  RATE_LIMITED: { status: 429, meaning: 'Too many requests from this token in the last minute; see Retry-After.' },
  QUEUE_UNAVAILABLE: {
    status: 503,
    meaning: 'Scoring is temporarily unavailable; nothing was stored. Retry after the given seconds.',
  },
  UPLOAD_TOO_LARGE: { status: 413, meaning: "The file is larger than the task's limit; nothing was stored." },
  BODY_TOO_LARGE: { status: 413, meaning: 'The request body is too large.' },
  MULTIPART_REQUIRED: { status: 415, meaning: 'Upload files as multipart/form-data.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'This content type is not accepted here.' },
  FILE_MISSING: { status: 400, meaning: 'The form has no field named "file".' },
  MESSAGE_TOO_LONG: { status: 400, meaning: 'A submission message may have at most 500 characters.' },
  TOO_MANY_FILES: { status: 413, meaning: 'The form has more files than this route takes.' },
  TOO_MANY_PARTS: { status: 413, meaning: 'The form has too many parts.' },
  REQUEST_INVALID: {
    status: 400,
    meaning: 'A parameter or the body does not match the documented schema; the detail names it.',
  },
  SELECTION_LIMIT: {
    status: 409,
    meaning: 'You selected the maximum number of submissions for the private board; unselect one first.',
  },
  SELECTION_NOT_SCORED: { status: 409, meaning: 'Only scored submissions can be selected.' },
  SELECTION_LATE: { status: 409, meaning: 'Late submissions are not ranked and cannot be selected.' },
  SELECTION_CLOSED: { status: 403, meaning: 'Selection closed at the deadline.' },
  SERVICE_BUSY: {
    status: 503,
    meaning:
      'The server is at capacity right now; nothing was stored and no quota was used. Retry after the seconds in Retry-After (the CLI and the web app do, with the same Idempotency-Key).',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    meaning: 'The database or the queue cannot be reached; nothing was stored. Retry after the seconds in Retry-After.',
  },
  TEXT_FIELD_INVALID: { status: 422, meaning: 'A text field contains a NUL byte or another control character.' },
  MULTIPART_INVALID: {
    status: 400,
    meaning: 'The multipart/form-data body is malformed (no boundary, a broken part).',
  },
  HEADERS_TOO_LARGE: { status: 431, meaning: "The request's headers (a cookie, a URL) are too large." },
  TOKEN_LIMIT: { status: 409, meaning: 'You have as many live API tokens as one account may; revoke one first.' },
  WEBHOOK_LIMIT: { status: 409, meaning: 'You have as many webhooks as one account may; delete one first.' },
  WEBHOOK_URL_INVALID: {
    status: 422,
    meaning: 'A webhook URL must be http(s), without credentials, at most 2,000 characters.',
  },
  PASSWORD_RATE_LIMITED: {
    status: 429,
    meaning: 'Too many wrong current passwords in the last minute; see Retry-After.',
  },
  REJECTED_BYTES_EXCEEDED: {
    status: 429,
    meaning:
      'Your rejected uploads today add up to the daily limit on stored rejected files; fix the file offline (mljudge score) before uploading again.',
  },
  STREAMS_LIMIT: {
    status: 429,
    meaning: 'You have as many live-update streams open as one account may; close one (another tab?).',
  },
  ARTIFACT_PURGED: { status: 410, meaning: 'The file was deleted after the retention period for rejected uploads.' },
  INTERNAL: { status: 500, meaning: 'Something failed on our side; it was logged.' },
} as const satisfies Record<string, { readonly status: number; readonly meaning: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

/** True when `code` is documented here. */
export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEMS, code);
}

/** The HTTP status of a code. */
export function statusOf(code: ProblemCode): number {
  return PROBLEMS[code].status;
}
