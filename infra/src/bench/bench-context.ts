// What every measurement of `npm run bench` receives: the running bench stack,
// an admin client for its realm, how often to repeat, and where to report.
import type { StackConfig } from "../stack-config.ts";
import type { RealmAdmin } from "../testing/realm-admin.ts";
import type { StackEnv } from "../testing/stack-env.ts";

export interface BenchContext {
  config: StackConfig;
  env: StackEnv;
  admin: RealmAdmin;
  /** Repetitions of each measurement; every figure is min / median / max over them. */
  repeat: number;
  say: (line: string) => void;
}
