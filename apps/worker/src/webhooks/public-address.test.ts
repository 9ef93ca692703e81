import { describe, expect, it } from 'vitest';
import { isPublicAddress, PrivateAddressError, resolvePublicTarget } from './public-address.ts';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.5',
    '192.168.1.10',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    // Found by the attack review: a hand-written list missed these.
    '64:ff9b::7f00:1',
    '::7f00:1',
    '::ffff:0:7f00:1',
    '2002:7f00:1::1',
    'fec0::1',
    'ff02::1',
    '198.18.0.1',
    '224.0.0.1',
    '240.0.0.1',
    '255.255.255.255',
    '192.0.0.1',
    '2001:db8::1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('resolvePublicTarget', () => {
  it('refuses a name that resolves to loopback without saying which address it found', async () => {
    const failure = await resolvePublicTarget(new URL('http://localhost:8080/hook')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PrivateAddressError);
    expect((failure as Error).message).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it('returns the checked address of an IP literal', async () => {
    await expect(resolvePublicTarget(new URL('https://93.184.216.34/hook'))).resolves.toEqual({
      address: '93.184.216.34',
      family: 4,
    });
  });
});
