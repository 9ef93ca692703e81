import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { PATIENCE_MS } from '../support/eventually.ts';
import { multipart } from '../support/multipart.ts';

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function submit(
  app: FastifyInstance,
  token: string,
  task: string,
  content: string | Buffer,
  options: { headers?: Record<string, string>; query?: string; filename?: string; message?: string } = {},
) {
  const body = multipart(
    [{ field: 'file', filename: options.filename ?? 'pred.csv', content, contentType: 'text/csv' }],
    options.message ? { message: options.message } : {},
  );
  return app.inject({
    method: 'POST',
    url: `/v1/tasks/${task}/submissions${options.query ?? ''}`,
    payload: body.payload,
    headers: { ...body.headers, ...bearer(token), ...options.headers },
  });
}

/** Polls GET /v1/submissions/:id until the submission is finished. */
export async function waitForResult(app: FastifyInstance, token: string, id: string, timeoutMs = PATIENCE_MS) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const response = await app.inject({ method: 'GET', url: `/v1/submissions/${id}`, headers: bearer(token) });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    if (['SCORED', 'REJECTED', 'FAILED'].includes(body.status)) return body;
    if (Date.now() > until) throw new Error(`submission ${id} still ${body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
