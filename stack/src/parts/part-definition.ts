// What the stack runner knows of one part: how to start it, how to tell it is
// ready, and what to do once it is. stack/src/stack.ts starts, stops and
// restarts parts by these definitions.
import type { SupervisedChild } from "../process/child-process.ts";

export interface PartDefinition {
  name: string;
  spawn: () => SupervisedChild;
  healthUrl: string;
  /** Readiness for a part that speaks no HTTP (Redis); replaces polling healthUrl. */
  ready?: () => Promise<boolean>;
  accept?: (status: number) => boolean;
  timeoutMs: number;
  /** Runs after every (re)start once healthy. */
  onReady?: () => Promise<void>;
}
