import { describe, expect, it } from 'vitest';
import { assertPublicAddress, PrivateAddressError } from './public-address.ts';

describe('assertPublicAddress', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://10.1.2.3/',
    'https://172.20.0.5/',
    'http://192.168.1.10/',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/',
    'http://[::1]/',
    'http://[fd00::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://localhost/',
  ])('refuses %s', async (url) => {
    await expect(assertPublicAddress(url)).rejects.toBeInstanceOf(PrivateAddressError);
  });

  it.each(['https://93.184.216.34/hook', 'http://[2606:4700:4700::1111]/'])('accepts %s', async (url) => {
    await expect(assertPublicAddress(url)).resolves.toBeUndefined();
  });
});
