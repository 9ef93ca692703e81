/**
 * Maps every error to application/problem+json: AppError as it says, schema validation failures as
 * 400 REQUEST_INVALID with the failing path, Fastify's own client errors by their status, and anything
 * else as 500 with its message hidden (logged instead).
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { AppError, toProblem } from '../problem.ts';

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
  FST_FILES_LIMIT: { code: 'TOO_MANY_FILES' },
  FST_PARTS_LIMIT: { code: 'TOO_MANY_PARTS' },
};

function send(reply: FastifyReply, status: number, body: object, headers: Record<string, string> = {}) {
  return reply.status(status).headers(headers).type('application/problem+json').send(body);
}

export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const instance = request.url;
      if (error instanceof AppError) {
        return send(
          reply,
          error.status,
          { ...toProblem(error.status, error.code, error.message, error.extensions), instance },
          error.headers,
        );
      }
      if (error.validation) {
        const first = error.validation[0];
        const where = `${error.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
        return send(reply, 400, {
          ...toProblem(400, 'REQUEST_INVALID', `${where} ${first?.message ?? 'is invalid'}`.trim()),
          instance,
        });
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
        return send(reply, status, {
          ...toProblem(status, known?.code ?? 'REQUEST_INVALID', known?.detail ?? error.message),
          instance,
        });
      }
      request.log.error({ err: error }, 'unhandled error');
      return send(reply, 500, {
        ...toProblem(500, 'INTERNAL', 'Something went wrong on our side. It has been logged; please try again.'),
        instance,
      });
    });
    app.setNotFoundHandler((request, reply) =>
      send(reply, 404, {
        ...toProblem(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`),
        instance: request.url,
      }),
    );
  },
  { name: 'error-handler' },
);
