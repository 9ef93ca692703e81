import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from './post-json.ts';

let server: http.Server;
let port: number;
const seen: Array<{ host: string | undefined; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ host: request.headers.host, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(() => server.close());

describe('postJson', () => {
  it('connects to the checked address, not to what the name resolves to now (no DNS rebinding)', async () => {
    // .invalid never resolves (RFC 6761): the request can only arrive through the pinned address.
    const answer = await postJson(
      new URL(`http://rebinding.invalid:${port}/hook`),
      '{"ok":true}',
      { 'content-type': 'application/json' },
      {
        target: { address: '127.0.0.1', family: 4 },
        timeoutMs: 5000,
      },
    );
    expect(answer.status).toBe(204);
    expect(seen.at(-1)).toEqual({ host: `rebinding.invalid:${port}`, body: '{"ok":true}' });
  });
});
