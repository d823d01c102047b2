/**
 * At most one running call per key in this process: callers that arrive while
 * a call is running share its promise. The entry is removed when the call
 * settles, so the next caller starts a new one.
 */
export interface SingleFlight<T> {
  run(key: string, call: () => Promise<T>): Promise<T>;
  /** Keys with a running call (for tests and diagnostics). */
  readonly size: number;
}

export function createSingleFlight<T>(): SingleFlight<T> {
  const running = new Map<string, Promise<T>>();
  return {
    run(key, call) {
      const current = running.get(key);
      if (current) return current;
      const started = call().finally(() => running.delete(key));
      running.set(key, started);
      return started;
    },
    get size() {
      return running.size;
    },
  };
}
