/** Who listens to one kind of event; `subscribe` returns the way to stop listening. */
export class Listeners<E> {
  private readonly active = new Set<(event: E) => void>();

  subscribe(listener: (event: E) => void): () => void {
    this.active.add(listener);
    return () => {
      this.active.delete(listener);
    };
  }

  emit(event: E): void {
    for (const listener of this.active) listener(event);
  }
}
