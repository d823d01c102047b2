// A supervised child: its own process group (so stopping it also stops what it
// spawned, such as the JVM behind kc.sh or Next's workers), output to a log file,
// and a bounded stop: SIGTERM (or the program's own stop signal) to the group,
// SIGKILL after a grace period.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

export interface ChildOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Milliseconds between the stop signal and SIGKILL. */
  stopGraceMs?: number;
  /** The signal that asks for a shutdown (SIGTERM unless the program wants another: PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** Run as this user and group (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
}

export class SupervisedChild {
  readonly name: string;
  readonly logFile: string;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #child: ChildProcess;
  #exitedFlag = false;
  #stopping = false;
  #graceMs: number;
  #stopSignal: NodeJS.Signals;

  constructor(options: ChildOptions) {
    this.name = options.name;
    this.logFile = options.logFile;
    this.#graceMs = options.stopGraceMs ?? 15_000;
    this.#stopSignal = options.stopSignal ?? "SIGTERM";
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: "a" });
    log.on("error", () => {}); // a log that cannot be written must not take the orchestrator down
    log.write(`\n--- ${new Date().toISOString()} ${options.command} ${options.args.join(" ")}\n`);
    this.#child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      uid: options.uid,
      gid: options.gid,
    });
    if (this.#child.pid === undefined) throw new Error(`could not start ${options.name} (${options.command})`);
    this.pid = this.#child.pid;
    this.#child.stdout?.pipe(log, { end: false });
    this.#child.stderr?.pipe(log, { end: false });
    // Resolves once the leader has exited AND its last output is in the log
    // file, so that a crash report (tail()) shows the lines that explain it.
    // Output is complete when the pipes close; a grandchild that inherited
    // them may keep them open, so wait for that only briefly.
    this.exited = new Promise((resolve) => {
      const finish = (result: { code: number | null; signal: NodeJS.Signals | null }) => {
        this.#exitedFlag = true;
        // Whatever a lingering grandchild still writes goes nowhere rather than
        // into a closed file stream.
        this.#child.stdout?.unpipe(log);
        this.#child.stderr?.unpipe(log);
        this.#child.stdout?.resume();
        this.#child.stderr?.resume();
        log.end(() => resolve(result));
      };
      this.#child.on("exit", (code, signal) => {
        const closed = new Promise<void>((done) => this.#child.once("close", () => done()));
        const grace = new Promise<void>((done) => setTimeout(done, 500).unref());
        void Promise.race([closed, grace]).then(() => finish({ code, signal }));
      });
      this.#child.on("error", (error) => {
        log.write(`spawn error: ${error.message}\n`);
        finish({ code: 127, signal: null });
      });
    });
  }

  get running(): boolean {
    return !this.#exitedFlag;
  }

  /** True when the child exited without being asked to. */
  get crashed(): boolean {
    return this.#exitedFlag && !this.#stopping;
  }

  /** Stops the whole process group; resolves when the leader has exited. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#exitedFlag) {
      killGroup(this.pid, "SIGKILL"); // leftovers of a group whose leader died
      return;
    }
    killGroup(this.pid, this.#stopSignal);
    const timer = setTimeout(() => killGroup(this.pid, "SIGKILL"), this.#graceMs);
    await this.exited;
    clearTimeout(timer);
    killGroup(this.pid, "SIGKILL");
  }

  /** SIGKILL to the whole group at once, no shutdown (drills: a lost node); not reported as a crash. */
  async kill(): Promise<void> {
    this.#stopping = true;
    killGroup(this.pid, "SIGKILL");
    await this.exited;
  }

  tail(lines = 40): string {
    try {
      return readFileSync(this.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }
}

export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
