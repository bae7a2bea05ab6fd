/** Request targets from the network are untrusted: parsing them never throws. */

/** The request's URL, or null when it is not a valid request target. */
export function parseRequestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://station.invalid');
  } catch {
    return null;
  }
}

/** A decoded path segment, or null for a malformed percent-escape. */
export function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
