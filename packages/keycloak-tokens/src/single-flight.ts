// Collapses concurrent calls with the same key into one: the first caller runs
// the work, the others await its promise. Used so that 20 concurrent first
// requests of a user make one database insert and one introspection call, and
// that 100 concurrent requests of a web session make one refresh. The entry is
// removed when the call settles, so the next caller starts a new one.

export class SingleFlight<K, V> {
  private readonly inflight = new Map<K, Promise<V>>();

  run(key: K, work: () => Promise<V>): Promise<V> {
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = work().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  /** Keys with a running call (for tests and diagnostics). */
  get size(): number {
    return this.inflight.size;
  }
}
