// Collapses concurrent calls with the same key into one: the first caller runs
// the work, the others await its promise. Used so that 20 concurrent first
// requests of a user make one database insert and one introspection call.

export class SingleFlight<K, V> {
  private readonly inflight = new Map<K, Promise<V>>();

  run(key: K, work: () => Promise<V>): Promise<V> {
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = work().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }
}
