/** An HTTP server on loopback that records every webhook call it receives, by path. */
import http from 'node:http';
import type net from 'node:net';

export interface ReceivedCall {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface WebhookReceiver {
  readonly calls: ReceivedCall[];
  /** A URL on this receiver; calls to it are recorded under `path`. */
  url(path: string): string;
  close(): Promise<void>;
}

export async function startWebhookReceiver(status = 204): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      calls.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    calls,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
