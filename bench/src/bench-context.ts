// What every measurement of `npm run bench` receives: the running bench stack,
// an admin client for its realm, how often to repeat, and where to report.
import type { StackConfig } from "@stack/runner/stack-config";
import type { RealmAdmin } from "@stack/testkit/realm-admin";
import type { StackEnv } from "@stack/testkit/stack-env";
import type { BenchSessions, SsfRig } from "./ssf-rig.ts";

export interface BenchContext {
  config: StackConfig;
  env: StackEnv;
  admin: RealmAdmin;
  /** Repetitions of each measurement; every figure is min / median / max over them. */
  repeat: number;
  say: (line: string) => void;
  /** The bench stack's web server process (for its CPU time), when it runs as one. */
  webPid: number | undefined;
  /**
   * The Shared Signals sections' Strapi instances in both revocation modes and
   * 1,000 open Keycloak sessions: started on first call, shared by those
   * sections, stopped with the bench stack.
   */
  ssf(): Promise<{ rig: SsfRig; sessions: BenchSessions }>;
}
