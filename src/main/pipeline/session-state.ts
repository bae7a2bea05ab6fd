/**
 * Per-session node state (e.g. the previous frame kept by `motion`), owned by
 * the catalog so that one release at disconnect frees it for every pipeline
 * version the session ran, including versions a reload has since replaced.
 */

export interface SessionStateStore {
  /** The state slot of one node for one session, created on first use. */
  slot<T>(sessionId: string, key: string, create: () => T): T;
  release(sessionId: string): void;
  /** Sessions holding state (for tests and diagnostics). */
  size(): number;
}

/** Released ids remembered so a frame still in flight cannot resurrect state. */
const RELEASED_MEMORY = 1024;

export function createSessionStateStore(): SessionStateStore {
  const sessions = new Map<string, Map<string, unknown>>();
  const released = new Set<string>();

  return {
    slot<T>(sessionId: string, key: string, create: () => T): T {
      if (released.has(sessionId)) return create();
      let slots = sessions.get(sessionId);
      if (!slots) {
        slots = new Map();
        sessions.set(sessionId, slots);
      }
      if (!slots.has(key)) slots.set(key, create());
      return slots.get(key) as T;
    },
    release(sessionId) {
      sessions.delete(sessionId);
      released.add(sessionId);
      if (released.size > RELEASED_MEMORY) {
        const oldest = released.values().next().value;
        if (oldest !== undefined) released.delete(oldest);
      }
    },
    size: () => sessions.size,
  };
}
