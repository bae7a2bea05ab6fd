/**
 * Where a source added through the API or the window may not point: this
 * machine (loopback) and the cloud metadata services, whose answers a peer
 * could otherwise read through the station (server-side request forgery).
 * Link-local addresses stay allowed: a camera plugged straight into a
 * workstation port lives there. The command-line bridge is never restricted.
 * Only literal addresses and well-known names are recognised; a DNS name that
 * resolves to loopback is not (see docs/security.md).
 */
import { isIP } from 'node:net';

const METADATA_HOSTS = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '100.100.100.200',
  'fd00:ec2::254',
  'metadata',
  'metadata.google.internal',
  'metadata.azure.internal',
]);

function isLoopbackV4(host: string): boolean {
  return isIP(host) === 4 && (host.startsWith('127.') || host === '0.0.0.0');
}

/** `[::ffff:127.0.0.1]` (which URL writes `[::ffff:7f00:1]`): the IPv4 inside an IPv4-mapped IPv6 address. */
function mappedV4(host: string): string | null {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  if (dotted) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(host);
  if (!hex) return null;
  const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Why a source URL's host is refused for API/window sources, or null when it is allowed. */
export function localAddressProblem(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname
      .toLowerCase()
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '');
  } catch {
    return null; // Not a URL (a video device): nothing to check here.
  }
  const v4 = mappedV4(host) ?? host;
  if (METADATA_HOSTS.has(v4)) return `${host} is a cloud metadata address`;
  if (host === 'localhost' || host.endsWith('.localhost') || isLoopbackV4(v4)) {
    return `${host} is this machine (loopback)`;
  }
  if (host === '::1' || host === '::') return `${host} is this machine (loopback)`;
  return null;
}
