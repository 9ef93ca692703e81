/**
 * Streams one file as multipart/form-data with a known Content-Length, reporting progress, so a
 * 100 MB upload never sits in memory and a terminal can draw a progress bar.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface UploadOptions {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly file: string;
  readonly fields?: Record<string, string>;
  readonly onProgress?: (sent: number, total: number) => void;
}

export interface UploadResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const quote = (text: string) => text.replace(/["\r\n\\]/g, '_');

export async function uploadFile(options: UploadOptions): Promise<UploadResponse> {
  const boundary = `----mljudge${randomBytes(12).toString('hex')}`;
  const fields = Object.entries(options.fields ?? {})
    .map(
      ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`,
    )
    .join('');
  const head = Buffer.from(
    `${fields}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(path.basename(options.file))}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = (await stat(options.file)).size;
  const total = head.length + size + tail.length;
  const transport = options.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      options.url,
      {
        method: 'POST',
        headers: {
          ...options.headers,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(total),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    let sent = 0;
    const report = (bytes: number) => {
      sent += bytes;
      options.onProgress?.(sent, total);
    };
    request.write(head);
    report(head.length);
    const file = createReadStream(options.file);
    file.on('data', (chunk) => report(chunk.length));
    file.on('error', (error) => request.destroy(error));
    file.on('end', () => {
      request.end(tail);
      report(tail.length);
    });
    file.pipe(request, { end: false });
  });
}
