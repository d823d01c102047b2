// Polls a health endpoint until it answers with an accepted status, the
// deadline passes, or the process that should serve it exits.
import type { SupervisedChild } from "./child-process.ts";

export interface WaitOptions {
  url: string;
  /** Statuses that mean ready. Default: any 2xx. */
  accept?: (status: number) => boolean;
  timeoutMs: number;
  /** Fail fast when this child exits while we wait. */
  child?: SupervisedChild;
  /** Called every few seconds with the elapsed milliseconds (progress output). */
  onWaiting?: (elapsedMs: number) => void;
  intervalMs?: number;
}

class StartupError extends Error {
  readonly code: "ERR_STARTUP_TIMEOUT" | "ERR_STARTUP_EXITED";
  constructor(code: StartupError["code"], message: string) {
    super(message);
    this.code = code;
  }
}

export async function waitForHttp(options: WaitOptions): Promise<void> {
  const accept = options.accept ?? ((status) => status >= 200 && status < 300);
  const started = Date.now();
  const interval = options.intervalMs ?? 500;
  let lastReport = started;
  for (;;) {
    if (options.child && !options.child.running) {
      throw new StartupError("ERR_STARTUP_EXITED", `${options.child.name} exited during startup (log: ${options.child.logFile})`);
    }
    try {
      const response = await fetch(options.url, { signal: AbortSignal.timeout(5_000), redirect: "manual" });
      await response.body?.cancel();
      if (accept(response.status)) return;
    } catch {
      // not listening yet
    }
    const now = Date.now();
    if (now - started > options.timeoutMs) {
      const log = options.child ? ` (log: ${options.child.logFile})` : "";
      throw new StartupError("ERR_STARTUP_TIMEOUT", `${options.url} not ready after ${Math.round(options.timeoutMs / 1000)} s${log}`);
    }
    if (options.onWaiting && now - lastReport >= 5_000) {
      lastReport = now;
      options.onWaiting(now - started);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
