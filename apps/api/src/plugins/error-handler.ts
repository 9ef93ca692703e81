/**
 * Maps every error to application/problem+json: AppError as it says, schema validation failures as
 * 400 REQUEST_INVALID with the failing path, a client's bad bundle or archive as 422, an unreachable
 * or exhausted database as 503 with Retry-After, Fastify's own client errors by their status, and
 * anything else as 500 with its message hidden (logged instead). An error answered before the body
 * was read closes the connection, so a refused 1 GiB upload is not read to its end.
 */
import type net from 'node:net';
import { BundleError } from '@mljudge/formats';
import { isUnavailableError, PasswordHashingBusyError } from '@mljudge/db';
import { ArchiveError } from '@mljudge/storage';
import fp from 'fastify-plugin';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { throttled } from '../throttled-log.ts';
import { AppError, toProblem } from '../problems/app-error.ts';
import { isProblemCode } from '../problems/catalog.ts';
import { PLAIN_TEXT_FORMAT } from '../schemas/common.ts';

// An outage fails every request the same way; one line per interval says it (the 503s are counted
// in the metrics), where one per request would bury everything else in the log.
const warnUnavailable = throttled((message: string, log: FastifyBaseLogger, error: unknown) =>
  log.warn({ err: error }, message),
);

/** Fastify's own client errors, renamed to our stable codes with a message that says what to do. */
const FASTIFY_ERRORS: Record<string, { code: string; detail?: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'This content type is not accepted here: send JSON, or multipart/form-data for uploads.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'REQUEST_INVALID' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'REQUEST_INVALID', detail: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'REQUEST_INVALID', detail: 'The body is not valid JSON.' },
  FST_REQ_FILE_TOO_LARGE: { code: 'UPLOAD_TOO_LARGE' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'MULTIPART_REQUIRED', detail: 'Send the upload as multipart/form-data.' },
  FST_FILES_LIMIT: { code: 'TOO_MANY_FILES', detail: 'The form has more files than this route takes.' },
  FST_PARTS_LIMIT: { code: 'TOO_MANY_PARTS', detail: 'The form has more parts than this route takes.' },
  FST_FIELDS_LIMIT: { code: 'TOO_MANY_PARTS', detail: 'The form has more fields than this route takes.' },
  FST_PROTO_VIOLATION: { code: 'REQUEST_INVALID', detail: 'The body contains a forbidden property name.' },
};

/** busboy's words for a multipart body it cannot parse. */
const MALFORMED_MULTIPART = /boundary|multipart|unexpected end of form|malformed part header/i;

/** Past this, an unread body is not worth reading to keep the connection (Node would drain it). */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

/**
 * True when the answer should close the connection rather than let Node read the rest of a body
 * nobody wants: a large or unbounded (chunked) upload refused before it was read.
 */
function bodyNotWorthReading(request: FastifyRequest): boolean {
  if (request.raw.readableEnded) return false;
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > DRAIN_LIMIT_BYTES;
  return request.headers['transfer-encoding'] !== undefined;
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  if (bodyNotWorthReading(request)) reply.header('connection', 'close');
  return reply
    .status(body.status as number)
    .headers(headers)
    .type('application/problem+json')
    .send({ ...body, instance: request.url });
}

function answer(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    return send(request, reply, toProblem(error.code, error.message, error.extensions), error.headers);
  }
  if (error instanceof BundleError) {
    const { code, message, ...extensions } = error.detail;
    const known = isProblemCode(code) ? code : 'TASK_YAML_INVALID';
    return send(request, reply, toProblem(known, message, extensions));
  }
  if (error instanceof ArchiveError) return send(request, reply, toProblem('BUNDLE_ARCHIVE_INVALID', error.message));
  if (error instanceof PasswordHashingBusyError) {
    return send(request, reply, toProblem('SERVICE_BUSY', 'Too many sign-ins at once; retry in a few seconds.'), {
      'retry-after': '2',
    });
  }
  if (error.validation) {
    const first = error.validation[0];
    const where = `${error.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
    if (first?.keyword === 'format' && (first.params as { format?: string }).format === PLAIN_TEXT_FORMAT) {
      return send(
        request,
        reply,
        toProblem('TEXT_FIELD_INVALID', `${where} contains a NUL byte or another control character.`),
      );
    }
    return send(request, reply, toProblem('REQUEST_INVALID', `${where} ${first?.message ?? 'is invalid'}`.trim()));
  }
  if (isUnavailableError(error)) {
    warnUnavailable('backing service unavailable (repeats are not logged for 10 s)', request.log, error);
    return send(
      request,
      reply,
      toProblem(
        'SERVICE_UNAVAILABLE',
        'The database is not reachable right now; nothing was stored. Retry in a few seconds.',
      ),
      { 'retry-after': '5' },
    );
  }
  const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
  if (known)
    return send(request, reply, toProblem(known.code, known.detail ?? error.message, {}, error.statusCode ?? 400));
  if (MALFORMED_MULTIPART.test(error.message) && (error.statusCode === undefined || error.statusCode < 500)) {
    return send(request, reply, toProblem('MULTIPART_INVALID', `The multipart body is malformed: ${error.message}.`));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return send(request, reply, toProblem('REQUEST_INVALID', error.message, {}, status));
  request.log.error({ err: error }, 'unhandled error');
  return send(
    request,
    reply,
    toProblem('INTERNAL', 'Something went wrong on our side. It has been logged; please try again.'),
  );
}

export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => answer(error, request, reply));
    app.setNotFoundHandler((request, reply) =>
      send(request, reply, toProblem('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`)),
    );
  },
  { name: 'error-handler' },
);

/**
 * Answers what Node's HTTP parser refuses before any route sees it (headers too large, a malformed
 * request line, Content-Length with Transfer-Encoding) as a problem document too, then closes.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: net.Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify(
    tooLarge
      ? toProblem('HEADERS_TOO_LARGE', 'The request headers are too large (a cookie or a URL?).')
      : toProblem('REQUEST_INVALID', 'The HTTP request is malformed.', {}, 400),
  );
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
