import { describe, expect, it } from 'vitest';
import { FlowCookie, safeReturn } from './oidc.ts';

const settings = {
  issuer: 'https://idp.example',
  clientId: 'c',
  clientSecret: 's3cret',
  label: 'x',
  allowedDomains: [],
};

describe('safeReturn', () => {
  it('keeps paths on this site and turns anything else into "/"', () => {
    expect(safeReturn('/courses/ml2025/tasks/hw1?tab=board')).toBe('/courses/ml2025/tasks/hw1?tab=board');
    for (const outside of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', 7])
      expect(safeReturn(outside)).toBe('/');
  });
});

describe('FlowCookie', () => {
  const flow = { state: 'st', nonce: 'no', verifier: 've', returnTo: '/', expires: 2_000 };

  it('opens what it sealed until it expires', () => {
    const cookie = new FlowCookie(settings);
    expect(cookie.open(cookie.seal(flow), 1_000)).toEqual(flow);
    expect(cookie.open(cookie.seal(flow), 2_000)).toBeNull();
  });

  it('refuses a changed payload, a cookie sealed with another secret, and garbage', () => {
    const cookie = new FlowCookie(settings);
    const [payload, mac] = cookie.seal(flow).split('.');
    const forged = Buffer.from(JSON.stringify({ ...flow, returnTo: '//evil.example' })).toString('base64url');
    expect(cookie.open(`${forged}.${mac}`, 1_000)).toBeNull();
    expect(cookie.open(new FlowCookie({ ...settings, clientSecret: 'other' }).seal(flow), 1_000)).toBeNull();
    expect(cookie.open(`${payload}`, 1_000)).toBeNull();
    expect(cookie.open('not.a-cookie', 1_000)).toBeNull();
    expect(cookie.open(undefined, 1_000)).toBeNull();
  });
});
