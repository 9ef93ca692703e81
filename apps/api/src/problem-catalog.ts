/**
 * Every error code the service can answer with, what it means and what to do. Problem documents point
 * here (`type: /docs/problems#csv-duplicate-id`); tests/api/problem-catalog.test.ts fails when the code
 * can produce a code this list does not explain.
 */

export interface ProblemEntry {
  readonly code: string;
  readonly status: number;
  readonly meaning: string;
}

export const PROBLEMS: readonly ProblemEntry[] = [
  // The uploaded file (a REJECTED submission; never costs quota).
  { code: 'FILE_EMPTY', status: 422, meaning: 'The file has no content (or only blank lines).' },
  {
    code: 'FILE_BINARY',
    status: 422,
    meaning: 'The file contains NUL bytes: it is not text (an archive or an image?).',
  },
  { code: 'FILE_ENCODING', status: 422, meaning: 'The file is not UTF-8; save it as UTF-8.' },
  {
    code: 'CSV_HEADER',
    status: 422,
    meaning: 'The header lacks a required column, repeats one, or has an unexpected one.',
  },
  { code: 'CSV_NO_ROWS', status: 422, meaning: 'The file has a header but no predictions.' },
  {
    code: 'CSV_FIELD_COUNT',
    status: 422,
    meaning: 'A row has more or fewer fields than the header (often an unquoted comma).',
  },
  { code: 'CSV_UNTERMINATED_QUOTE', status: 422, meaning: 'A quoted field is never closed.' },
  { code: 'CSV_MALFORMED_QUOTE', status: 422, meaning: 'Text follows the closing quote of a quoted field.' },
  { code: 'CSV_EMPTY_VALUE', status: 422, meaning: 'An id or a prediction is empty.' },
  { code: 'CSV_UNKNOWN_ID', status: 422, meaning: 'An id is not one of the test set.' },
  {
    code: 'CSV_DUPLICATE_ID',
    status: 422,
    meaning: 'An id appears twice; the message names the first line it was on.',
  },
  {
    code: 'CSV_MISSING_IDS',
    status: 422,
    meaning: 'Some test ids have no prediction; the message lists the first few.',
  },
  { code: 'CSV_INVALID_NUMBER', status: 422, meaning: 'A prediction that must be a number is not one.' },
  { code: 'CSV_NON_FINITE', status: 422, meaning: 'A prediction is NaN or infinite.' },
  { code: 'CSV_INVALID_LABEL', status: 422, meaning: 'A predicted label is not one of the labels the task lists.' },
  {
    code: 'TEXT_LINE_COUNT',
    status: 422,
    meaning: 'A plain-text file must have exactly one line per test item, in order, without a header.',
  },
  { code: 'METRIC_EMPTY', status: 422, meaning: 'The metric got no rows.' },
  { code: 'METRIC_LENGTH', status: 422, meaning: 'Predictions and truth differ in length.' },
  { code: 'METRIC_NON_FINITE', status: 422, meaning: 'A value given to the metric is NaN or infinite.' },
  { code: 'METRIC_NOT_BINARY', status: 422, meaning: 'A binary metric got more than two classes.' },
  { code: 'METRIC_SINGLE_CLASS', status: 422, meaning: 'The metric is undefined with a single class present.' },
  { code: 'METRIC_LABEL', status: 422, meaning: 'A class code is out of range.' },
  { code: 'METRIC_INPUT', status: 422, meaning: 'The metric got the wrong kind of input.' },
  { code: 'METRIC_OPTION', status: 422, meaning: 'A metric option is invalid.' },
  { code: 'ONNX_INVALID', status: 422, meaning: 'The file is not a readable ONNX model.' },
  {
    code: 'ONNX_VERSION',
    status: 422,
    meaning: 'The model IR version or opset is outside the range this grader runs.',
  },
  {
    code: 'ONNX_CUSTOM_OP',
    status: 422,
    meaning: 'The model uses operators outside the standard ONNX domains (or model-local functions).',
  },
  {
    code: 'ONNX_EXTERNAL_DATA',
    status: 422,
    meaning: 'The model keeps weights in an external file; save everything in one .onnx file.',
  },
  { code: 'ONNX_SHAPE_TOO_LARGE', status: 422, meaning: 'An input or output declares an absurdly large shape.' },
  {
    code: 'ONNX_TOO_MANY_PARAMETERS',
    status: 422,
    meaning: 'The model has more parameters than the task allows (counted by the grader).',
  },
  {
    code: 'ONNX_INPUT',
    status: 422,
    meaning: "The model's input does not match the task: count, element type, rank or fixed sizes.",
  },
  { code: 'ONNX_OUTPUT', status: 422, meaning: "The model's output is not float32 logits of shape [batch, classes]." },
  { code: 'ONNX_SESSION', status: 422, meaning: 'onnxruntime could not load the model.' },
  {
    code: 'ONNX_NON_FINITE_OUTPUT',
    status: 422,
    meaning: 'The model produced NaN or infinite logits; the row is given.',
  },
  {
    code: 'ONNX_TIMEOUT',
    status: 422,
    meaning: "The model did not finish the hidden inputs within the task's time limit.",
  },
  { code: 'ONNX_MEMORY', status: 422, meaning: 'The model used more memory than the grader allows.' },
  {
    code: 'SCORING_FAILED',
    status: 500,
    meaning: 'Scoring failed repeatedly on our side; the submission does not count against your quota.',
  },
  // Task bundles (TAs).
  { code: 'TASK_YAML_SYNTAX', status: 422, meaning: 'task.yaml is not valid YAML; the line and column are given.' },
  {
    code: 'TASK_YAML_INVALID',
    status: 422,
    meaning: 'task.yaml has an unknown key, a wrong type or an inconsistent rule; the key path is given.',
  },
  { code: 'TASK_LABELS', status: 422, meaning: 'task.yaml lists a label twice.' },
  { code: 'TASK_CONFIG_MISSING', status: 500, meaning: 'A stored task lost its configuration.' },
  { code: 'SOLUTION_EMPTY', status: 422, meaning: 'solution.csv has no header or no rows.' },
  { code: 'SOLUTION_INVALID', status: 422, meaning: 'A row of solution.csv is malformed; the line is given.' },
  { code: 'SOLUTION_NO_PUBLIC', status: 422, meaning: 'solution.csv has no Public row.' },
  { code: 'SOLUTION_NOT_BINARY', status: 422, meaning: 'A binary metric needs exactly two classes in solution.csv.' },
  {
    code: 'SOLUTION_METRIC_UNDEFINED',
    status: 422,
    meaning: 'The metric is undefined on one split of solution.csv (say, one class only for ROC AUC).',
  },
  { code: 'BUNDLE_INCOMPLETE', status: 422, meaning: 'A bundle needs task.yaml and solution.csv.' },
  { code: 'BUNDLE_MISSING_FILE', status: 422, meaning: 'A bundle directory lacks task.yaml or solution.csv.' },
  {
    code: 'BUNDLE_INPUTS_INVALID',
    status: 422,
    meaning: 'inputs.npy of an onnx task is unreadable or does not match the declared dtype and shape.',
  },
  {
    code: 'BUNDLE_ARCHIVE_INVALID',
    status: 422,
    meaning: 'The .tar.gz is corrupt, too large when inflated, or holds links or unsafe paths.',
  },
  // Requests.
  { code: 'UNAUTHENTICATED', status: 401, meaning: 'Send an API token as "Authorization: Bearer <token>".' },
  { code: 'TOKEN_INVALID', status: 401, meaning: 'The token is unknown, revoked or expired.' },
  {
    code: 'IDEMPOTENCY_KEY_REUSED',
    status: 422,
    meaning:
      'The Idempotency-Key was already used for a different file; a retry must send the same file, a new upload a new key.',
  },
  {
    code: 'SESSION_EXPIRED',
    status: 401,
    meaning: 'The web session ended (signed out, expired, or the password changed); sign in again.',
  },
  {
    code: 'CSRF_HEADER_MISSING',
    status: 403,
    meaning:
      'A request that changes something with the session cookie must send the X-Requested-With header (the web app does).',
  },
  { code: 'LOGIN_FAILED', status: 401, meaning: 'The email or the password is wrong.' },
  {
    code: 'LOGIN_RATE_LIMITED',
    status: 429,
    meaning: 'Too many failed sign-ins for this email this minute; see Retry-After.',
  },
  { code: 'PASSWORD_WRONG', status: 403, meaning: 'The current password given to change it is wrong.' },
  {
    code: 'ROSTER_INVALID',
    status: 422,
    meaning:
      'A roster row is malformed: the line and column (CSV) or the JSON pointer, and what was expected, are given. Nobody was added.',
  },
  { code: 'FORBIDDEN', status: 403, meaning: 'Your role in the course does not allow this.' },
  { code: 'NOT_FOUND', status: 404, meaning: 'No such thing, or it is not yours to see.' },
  { code: 'ROUTE_NOT_FOUND', status: 404, meaning: 'No such route; see /docs.' },
  { code: 'TASK_AMBIGUOUS', status: 409, meaning: 'Several of your courses have a task of this slug; add ?course=.' },
  { code: 'TASK_NOT_OPEN', status: 403, meaning: 'Submissions have not opened yet.' },
  { code: 'DEADLINE_PASSED', status: 403, meaning: 'The deadline (and any late window) has passed.' },
  {
    code: 'QUOTA_EXCEEDED',
    status: 429,
    meaning: 'No submissions left today; the quota resets at midnight in the course time zone.',
  },
  { code: 'RATE_LIMITED', status: 429, meaning: 'Too many requests from this token this minute; see Retry-After.' },
  {
    code: 'QUEUE_UNAVAILABLE',
    status: 503,
    meaning: 'Scoring is temporarily unavailable; nothing was stored. Retry after the given seconds.',
  },
  { code: 'UPLOAD_TOO_LARGE', status: 413, meaning: "The file is larger than the task's limit; nothing was stored." },
  { code: 'BODY_TOO_LARGE', status: 413, meaning: 'The request body is too large.' },
  { code: 'MULTIPART_REQUIRED', status: 415, meaning: 'Upload files as multipart/form-data.' },
  { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415, meaning: 'This content type is not accepted here.' },
  { code: 'FILE_MISSING', status: 400, meaning: 'The form has no field named "file".' },
  { code: 'MESSAGE_TOO_LONG', status: 400, meaning: 'A submission message may have at most 500 characters.' },
  { code: 'TOO_MANY_FILES', status: 413, meaning: 'The form has more files than this route takes.' },
  { code: 'TOO_MANY_PARTS', status: 413, meaning: 'The form has too many parts.' },
  {
    code: 'REQUEST_INVALID',
    status: 400,
    meaning: 'A parameter or the body does not match the documented schema; the detail names it.',
  },
  {
    code: 'SELECTION_LIMIT',
    status: 409,
    meaning: 'You selected the maximum number of submissions for the private board; unselect one first.',
  },
  { code: 'SELECTION_NOT_SCORED', status: 409, meaning: 'Only scored submissions can be selected.' },
  { code: 'SELECTION_LATE', status: 409, meaning: 'Late submissions are not ranked and cannot be selected.' },
  { code: 'SELECTION_CLOSED', status: 403, meaning: 'Selection closed at the deadline.' },
  { code: 'INTERNAL', status: 500, meaning: 'Something failed on our side; it was logged.' },
];

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function anchorOf(code: string): string {
  return code.toLowerCase().replaceAll('_', '-');
}

/** The catalog as a small HTML page with one anchor per code. */
export function catalogHtml(): string {
  const rows = PROBLEMS.map(
    (entry) =>
      `<tr id="${anchorOf(entry.code)}"><td><code>${entry.code}</code></td><td>${entry.status}</td><td>${escape(entry.meaning)}</td></tr>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mljudge problem types</title></head><body><h1>Problem types</h1><p>Every error is an RFC 9457 problem document whose <code>type</code> points to a row here.</p><table><thead><tr><th>code</th><th>status</th><th>meaning</th></tr></thead><tbody>\n${rows}\n</tbody></table></body></html>`;
}
