/** A tiny listener list: `add` returns the function that removes the listener. */
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void | Promise<void>>();

  add(listener: (value: T) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls every listener; a listener's failure is reported to `onError` and never stops the others. */
  async emit(value: T, onError: (e: unknown) => void): Promise<void> {
    for (const listener of [...this.listeners]) {
      try {
        await listener(value);
      } catch (e) {
        onError(e);
      }
    }
  }
}
