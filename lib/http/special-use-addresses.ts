import { BlockList, isIP } from 'node:net';

/**
 * IANA's special-purpose address registries (RFC 6890 and later entries), plus multicast: every
 * address that is not a plain public unicast one. The draft forbids fetching a document from them.
 */
const SPECIAL_USE_IPV4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.31.196.0', 24], // AS112
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // direct delegation AS112
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
];

const SPECIAL_USE_IPV6: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // IPv4/IPv6 translation, which can reach any IPv4 address
  ['64:ff9b:1::', 48], // local-use translation
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID…
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4, which embeds any IPv4 address
  ['3fff::', 20], // documentation
  ['5f00::', 16], // segment routing
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const SPECIAL_USE = new BlockList();
for (const [network, prefix] of SPECIAL_USE_IPV4) SPECIAL_USE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of SPECIAL_USE_IPV6) SPECIAL_USE.addSubnet(network, prefix, 'ipv6');

/**
 * Whether an IP address (IPv4, or IPv6 without brackets) is one a document must never be fetched
 * from; anything that is not an address is too. An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is
 * judged by the IPv4 address it carries: BlockList compares it with the IPv4 ranges.
 */
export function isSpecialUseAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return SPECIAL_USE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
