/**
 * Where a webhook may be sent (SSRF): only to globally routable unicast addresses, as classified by
 * ipaddr.js. Everything else is refused, including the ranges a hand list misses: NAT64 and 6to4
 * (which reach IPv4 hosts), IPv4-mapped and -compatible IPv6, benchmarking (198.18/15), reserved
 * (240/4), multicast and broadcast. The name is resolved once here and the connection is made to the
 * address that was checked, so a name cannot resolve to a public address for the check and to a
 * private one for the request.
 */
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
}

/** True when `address` (an IP literal) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.range() !== 'unicast') return false;
  if (parsed.kind() === 'ipv6') {
    // ::a.b.c.d (IPv4-compatible, deprecated) is "unicast" to ipaddr.js but reaches an IPv4 host.
    const parts = (parsed as ipaddr.IPv6).parts;
    if (parts.slice(0, 6).every((part) => part === 0)) return false;
  }
  return true;
}

export interface CheckedTarget {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * The address a webhook URL's host resolves to, checked to be public. Throws PrivateAddressError
 * with a message that names no internal address (delivery logs are read by their owner).
 */
export async function resolvePublicTarget(url: URL): Promise<CheckedTarget> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host)
    ? [{ address: host, family: net.isIPv6(host) ? 6 : 4 }]
    : await lookup(host, { all: true, verbatim: true }).catch(() => {
        throw new PrivateAddressError(`${host} could not be resolved.`);
      });
  if (addresses.length === 0 || !addresses.every(({ address }) => isPublicAddress(address))) {
    throw new PrivateAddressError(`${host} is not a public address; webhooks only go to public hosts.`);
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
