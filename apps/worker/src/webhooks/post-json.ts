/**
 * POSTs a JSON body to a URL over node:http(s), connecting to a given address instead of resolving
 * the host again (the address the SSRF check approved). TLS still checks the certificate against the
 * URL's host name. Redirects are not followed; the answer's body is discarded.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './public-address.ts';

export interface PostResult {
  readonly status: number;
}

export function postJson(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: { readonly target: CheckedTarget | null; readonly timeoutMs: number },
): Promise<PostResult> {
  const pinned: LookupFunction | undefined = options.target
    ? (_host, lookupOptions, callback) => {
        const { address, family } = options.target!;
        if ((lookupOptions as { all?: boolean }).all)
          (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
            { address, family },
          ]);
        else callback(null, address, family);
      }
    : undefined;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: options.timeoutMs,
        ...(pinned ? { lookup: pinned } : {}),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
