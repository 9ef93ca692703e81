/**
 * Refuses webhook targets inside the server's own network (SSRF): loopback, private, link-local,
 * carrier-grade NAT and unique-local addresses, checked on the address the name resolves to now.
 */
import { lookup } from 'node:dns/promises';
import net from 'node:net';

const BLOCKED = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  BLOCKED.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [
  ['::1', 128],
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  BLOCKED.addSubnet(address, prefix, 'ipv6');

export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d or its hex form ::ffff:xxxx:yyyy). */
function unmapped(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return address;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

export async function assertPublicAddress(url: string): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host)
    ? [{ address: host, family: net.isIPv6(host) ? 6 : 4 }]
    : await lookup(host, { all: true });
  for (const { address, family } of addresses) {
    const mapped = family === 6 ? unmapped(address) : address;
    if (BLOCKED.check(mapped, net.isIPv6(mapped) ? 'ipv6' : 'ipv4'))
      throw new PrivateAddressError(
        `${host} resolves to ${address}, a private address; webhooks only go to public hosts.`,
      );
  }
}
