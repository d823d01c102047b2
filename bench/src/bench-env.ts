// The bench's one read of its environment: the runner's variables (ports of the
// bench profile, STACK_CACHE_DIR, STACK_REDIS_URL, ...), parsed by the runner's
// own module, so the bench and `npm start` agree on what each variable means.
// Every other bench file gets the parsed values passed in.
import { parseStackEnvInput, type StackEnvInput } from "@stack/runner/stack-env-input";

export function readBenchInput(): StackEnvInput {
  return parseStackEnvInput(process.env);
}
