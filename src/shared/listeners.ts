/** Who listens to one kind of event; `subscribe` returns the way to stop listening. */
export class Listeners<E> {
  private readonly active = new Set<(event: E) => void>();
  private readonly onError: ((err: unknown) => void) | undefined;

  /**
   * With `onError`, a listener that throws is reported there and the others
   * still hear the event; without it, the error reaches the emitter.
   */
  constructor(onError?: (err: unknown) => void) {
    this.onError = onError;
  }

  /** How many listen now (a shared stream closes when none does). */
  get size(): number {
    return this.active.size;
  }

  subscribe(listener: (event: E) => void): () => void {
    this.active.add(listener);
    return () => {
      this.active.delete(listener);
    };
  }

  emit(event: E): void {
    for (const listener of this.active) {
      if (!this.onError) listener(event);
      else this.guarded(listener, event);
    }
  }

  private guarded(listener: (event: E) => void, event: E): void {
    try {
      listener(event);
    } catch (err) {
      this.onError?.(err);
    }
  }
}
