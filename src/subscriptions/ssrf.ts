import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Server-side request forgery guard for webhook targets (issue 5): a subscriber must not be able
 * to make the service POST into the office's own network. Only http/https; every address the host
 * resolves to must be public, unless the host itself is listed in WEBHOOK_ALLOWED_HOSTS.
 * Checked when the subscription is created and again before every delivery (DNS rebinding).
 * Residual risk: fetch resolves the name once more after our check (a time-of-check window of
 * milliseconds); deployments that need more put an egress proxy in front.
 */

const blocked = new BlockList();
// IPv4 special-purpose ranges (RFC 6890 and successors).
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT shared address space
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local (ULA)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
  ['100::', 64], // discard-only
  // Refused outright: prefixes that reach IPv4 or other networks through a translator or tunnel
  // whose target cannot be read from the address alone (issue 11).
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): translated by the operator's own NAT64, maybe into private IPv4
  ['2001::', 32], // Teredo: tunnels to an obfuscated IPv4 through a relay
  ['2001:2::', 48], // benchmarking
  ['2001:10::', 28], // ORCHID (deprecated)
  ['2001:20::', 28], // ORCHIDv2
  ['5f00::', 16], // SRv6 SIDs (RFC 9602)
  ['3fff::', 20], // documentation (RFC 9637)
] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

/** 16 bytes of an IPv6 address (accepts "::" compression and a trailing dotted IPv4). */
function ipv6Bytes(address: string): number[] | null {
  let text = address.toLowerCase().split('%')[0];
  const tail: number[] = [];
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const parts = dotted[1].split('.').map(Number);
    if (parts.some((p) => p > 255)) return null;
    tail.push(...parts);
    text = text.slice(0, -dotted[1].length) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    const v = parseInt(g, 16);
    bytes.push(v >> 8, v & 0xff);
  }
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The IPv4 address an IPv6 address embeds and would reach (mapped, translated, compatible, NAT64, 6to4). */
function embeddedIpv4(bytes: number[]): string | null {
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number) => bytes.slice(at, at + 4).join('.');
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12); // ::ffff:a.b.c.d
  // ::ffff:0:a.b.c.d (IPv4-translated, RFC 2765)
  if (zero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(10, 12)) return v4(12);
  if (zero(0, 12) && !zero(12, 16)) return v4(12); // ::a.b.c.d (IPv4-compatible, deprecated)
  // 64:ff9b::/96 (NAT64, RFC 6052)
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12)) return v4(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2); // 2002::/16 6to4
  return null;
}

/** Why this address may not be targeted, or null when it is public. */
export function forbiddenAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 4)
    return blocked.check(address, 'ipv4') ? `${address} is a loopback, private or reserved address` : null;
  if (family === 6) {
    const bytes = ipv6Bytes(address);
    if (!bytes) return `${address} is not a valid address`;
    const v4 = embeddedIpv4(bytes);
    if (v4 && blocked.check(v4, 'ipv4')) return `${address} embeds the non-public IPv4 address ${v4}`;
    return blocked.check(address.split('%')[0], 'ipv6')
      ? `${address} is a loopback, link-local, unique-local or reserved address`
      : null;
  }
  return `${address} is not an IP address`;
}

export type Lookup = (hostname: string) => Promise<string[]>;

export const systemLookup: Lookup = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export interface UrlCheck {
  ok: boolean;
  problems: string[];
  /** Normalised URL when ok. */
  url?: string;
}

/**
 * Validates a webhook target. `allowedHosts` skips the address check for exactly those host names
 * (the test receiver on 127.0.0.1, an intranet consumer the office trusts).
 */
export async function checkWebhookUrl(
  raw: string,
  allowedHosts: readonly string[],
  lookup: Lookup = systemLookup,
): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problems: ['url must be an absolute http or https URL'] };
  }
  const problems: string[] = [];
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('url must use http or https');
  if (url.username !== '' || url.password !== '') problems.push('url must not carry credentials');
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === '') problems.push('url must name a host');
  if (problems.length > 0) return { ok: false, problems };
  if (allowedHosts.includes(host)) return { ok: true, problems: [], url: url.toString() };

  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await lookup(host);
    } catch {
      return { ok: false, problems: [`url host ${host} cannot be resolved`] };
    }
    if (addresses.length === 0) return { ok: false, problems: [`url host ${host} cannot be resolved`] };
  }
  for (const address of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason) problems.push(`url host ${host} is not allowed: ${reason}`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, problems: [], url: url.toString() };
}
