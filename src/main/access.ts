/**
 * Tokens and origins: how a presented token is found and compared, this
 * machine's addresses, and the host names and browser origins that are the
 * station's own (who may act is decided in http/operator-access.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';

/** Constant-time comparison; hashing first hides the secret's length too. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** Tokens offered by `Authorization: Bearer X` (scheme in any case) and the `token` query parameter. */
export function presentedTokens(req: IncomingMessage, url: URL): string[] {
  const tokens: string[] = [];
  const auth = req.headers.authorization?.match(/^bearer\s+(.+)$/i);
  if (auth) tokens.push(auth[1]!.trim());
  const query = url.searchParams.get('token');
  if (query) tokens.push(query);
  return tokens;
}

/** The host name of a Host header, lower case, without port or trailing dot. */
function hostNameOf(host: string | undefined): string | null {
  if (!host) return null;
  const h = host.trim().toLowerCase();
  const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.split(':')[0]!;
  return name.replace(/\.$/, '') || null;
}

/** Addresses of this machine's non-internal interfaces; IPv6 bracketed, as in a Host header. */
function interfaceAddresses(family: 'IPv4' | 'IPv6'): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const net of list ?? []) {
      if (net.internal || net.family !== family) continue;
      out.push(family === 'IPv4' ? net.address : `[${net.address.split('%')[0]}]`);
    }
  }
  return out;
}

/** IPv4 addresses of this machine's non-internal interfaces. */
export const lanAddresses = (): string[] => interfaceAddresses('IPv4');
const lanAddresses6 = (): string[] => interfaceAddresses('IPv6');

/** The loopback addresses local tools use; the rest of 127/8 is not taken as this machine's operator. */
export const LOCAL_ADDRESSES: ReadonlySet<string> = new Set([
  '127.0.0.1',
  '::1',
  '::ffff:127.0.0.1',
]);

/**
 * The station's own origins: the names it is reached by (loopback, LAN
 * addresses, the host name) on its port. Host names an attacker controls never
 * match, which also defeats DNS rebinding (the Host header is checked the same way).
 */
export class OriginPolicy {
  private readonly own = new Set<string>();
  private readonly ownHosts = new Set<string>();
  private readonly extra: Set<string>;
  /** Names a request's Host may carry (any port): DNS rebinding uses a name of its own. */
  readonly hostNames: ReadonlySet<string>;

  constructor(
    port: number,
    allowedOrigins: readonly string[],
    allowedHosts: readonly string[] = [],
  ) {
    const names = [
      'localhost',
      '127.0.0.1',
      '[::1]',
      hostname(),
      `${hostname()}.local`,
      ...lanAddresses(),
    ];
    for (const name of names) {
      const host = `${name.toLowerCase()}:${port}`;
      this.ownHosts.add(host);
      this.own.add(`http://${host}`);
      if (port === 80) {
        this.ownHosts.add(name.toLowerCase());
        this.own.add(`http://${name.toLowerCase()}`);
      }
    }
    this.extra = new Set(allowedOrigins.map((o) => o.replace(/\/$/, '').toLowerCase()));
    this.hostNames = new Set(
      [
        ...names,
        ...lanAddresses6(),
        ...allowedOrigins.map((o) => new URL(o).hostname),
        ...allowedHosts,
      ].map((name) => hostNameOf(name)!),
    );
  }

  /** A Host header naming this station: its names, loopback and LAN literals, allowed hosts. */
  isOwnHostName(host: string | undefined): boolean {
    const name = hostNameOf(host);
    if (name === null) return false;
    if (this.hostNames.has(name) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return true;
    // An address the machine gained after start (DHCP, a new interface) is still its own.
    return /^[\d.]+$|^\[/.test(name) && [...lanAddresses(), ...lanAddresses6()].includes(name);
  }

  isOwnOrigin(origin: string): boolean {
    return this.own.has(origin.toLowerCase());
  }

  isOwnHost(host: string | undefined): boolean {
    return host !== undefined && this.ownHosts.has(host.toLowerCase());
  }

  /** Camera connections: no Origin (not a browser), our own, or an allowed one. */
  allowsCameraOrigin(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    const o = origin.toLowerCase();
    return this.own.has(o) || this.extra.has(o);
  }
}
