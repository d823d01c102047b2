// The Shared Signals sections of bench/RESULTS.md and their rows of the
// targets table (ssf-introspections.ts, ssf-revocation-latency.ts, ssf-cpu.ts):
// `ssf` (pushed revocations) and `introspection` mode side by side.
import type { BenchResults } from "./bench-results.ts";
import { mmm, sectionLine, table, verdict } from "./markdown-format.ts";
import type { LatencyPercentiles } from "./ssf-revocation-latency.ts";

const ms = (p: LatencyPercentiles | null): string => (p ? `${p.p50} / ${p.p95} / ${p.p99} ms` : "—");

export function ssfTargetRows(results: BenchResults): string[][] {
  const rows: string[][] = [];
  const { ssfIntrospections, ssfRevocation, ssfCpu } = results.sections;
  if (ssfIntrospections) {
    const r = ssfIntrospections.result;
    const counts = r.modes.ssf.map((f) => f.sessions.toLocaleString("en")).join(" / ");
    const ssfMet = r.modes.ssf.every((f) => f.introspectionsCounted === 0 && (f.introspectionRequestsPerSecond?.max ?? 0) === 0);
    rows.push([
      `Introspections at Keycloak per second, ssf mode, steady state (${counts} sessions)`,
      "0",
      r.modes.ssf.map((f) => mmm(f.introspectionsPerSecond, "", 1)).join(" · "),
      ssfMet ? "met (every run)" : "**missed**",
    ]);
    rows.push([
      `Introspections at Keycloak per second, introspection mode, for comparison (${counts} sessions)`,
      "—",
      r.modes.introspection.map((f) => mmm(f.introspectionsPerSecond, "", 1)).join(" · "),
      "reference",
    ]);
  }
  if (ssfRevocation) {
    const r = ssfRevocation.result;
    const ssf = r.modes.ssf;
    rows.push([
      `Revocation → both cms instances refuse, ssf mode, admin sign-out (p50 / p95 / p99 of ${ssf.trials})`,
      "p99 ≤ 1 s",
      ms(ssf.bothMs) + (ssf.neverRefused ? `; never in ${ssf.neverRefused}` : ""),
      ssf.neverRefused === 0 && ssf.bothMs && ssf.bothMs.p99 <= 1000 ? "met" : "**missed**",
    ]);
    const intro = r.modes.introspection;
    rows.push([
      `Revocation → both cms instances refuse, introspection mode, for comparison (p50 / p95 / p99 of ${intro.trials})`,
      `≤ ${r.revocationWindowSeconds} s (window)`,
      ms(intro.bothMs) + (intro.neverRefused ? `; never in ${intro.neverRefused}` : ""),
      intro.neverRefused === 0 && intro.bothMs && intro.bothMs.max <= r.revocationWindowSeconds * 1000 ? "met (every run)" : "**missed**",
    ]);
  }
  if (ssfCpu) {
    const r = ssfCpu.result.ratios.ssf;
    const same = ssfCpu.result.offSendsTokens ? ", the same requests" : "";
    rows.push([`Strapi throughput, ssf check on ÷ auth off (constant body, 100 sessions${same})`, "≥ 0.95x", mmm(r.throughputVsOff, "x"), verdict(r.throughputVsOff, (v) => v >= 0.95)]);
    rows.push([
      `Strapi CPU per request, auth off ÷ ssf check on (the robust figure${same})`,
      "≥ 0.95x",
      mmm(r.cpuOffVsMode, "x"),
      verdict(r.cpuOffVsMode, (v) => v >= 0.95),
    ]);
    const check = ssfCpu.result.ssfCheck;
    if (check) {
      rows.push(["Strapi CPU per request, authenticated without the check ÷ ssf check on (the check's own cost)", "—", mmm(check.cpuNoCheckVsCheck, "x"), "reference"]);
    }
  }
  return rows;
}

export function ssfDetails(results: BenchResults): string[] {
  const out: string[] = [];
  const { ssfIntrospections, ssfRevocation, ssfCpu } = results.sections;
  if (ssfIntrospections) {
    const r = ssfIntrospections.result;
    out.push(
      "",
      "## 7. Introspections at Keycloak: ssf vs introspection mode",
      "",
      sectionLine(ssfIntrospections),
      "",
      `N distinct Keycloak sessions (one access token each) call \`${r.route}\` in turn, ${r.concurrency} keep-alive connections, on a Strapi in each revocation mode. After ${r.warmupSeconds} s of load (every session has called, a whole revocation window has passed) Keycloak's introspections are counted for ${r.countedSeconds} s, ${r.rounds} rounds: its INTROSPECT_TOKEN events of the \`cms\` client, and the request counter of its introspection endpoint (Micrometer \`http_server_requests_seconds_count\`, management port /metrics, bench profile only).`,
      "",
      table(
        ["mode", "sessions", "introspections/s (events)", "introspections/s (metrics)", "counted (events, all rounds)", "API req/s", "failed"],
        (["ssf", "introspection"] as const).flatMap((mode) =>
          r.modes[mode].map((f) => [
            mode,
            f.sessions.toLocaleString("en"),
            mmm(f.introspectionsPerSecond, "", 1),
            mmm(f.introspectionRequestsPerSecond, "", 1),
            String(f.introspectionsCounted),
            mmm(f.apiRequestsPerSecond, "", 0),
            String(f.failures),
          ]),
        ),
      ),
    );
  }
  if (ssfRevocation) {
    const r = ssfRevocation.result;
    out.push(
      "",
      "## 8. Revocation latency across two cms instances: ssf vs introspection mode",
      "",
      sectionLine(ssfRevocation),
      "",
      `Admin sign-out of a user whose token both instances of the mode serve; each instance polled every ${r.pollIntervalMs} ms; the admin acts at a random moment of the ${r.revocationWindowSeconds} s window. From just before the admin call to each instance's first 401; "both" is when the slower one refuses. ssf mode: the bench stack's Strapi receives the push, a second Strapi on the same database learns it from the shared revocation table.`,
      "",
      table(
        ["mode", "trials", "first instance p50 / p95 / p99", "second instance p50 / p95 / p99", "both p50 / p95 / p99", "max (both)", "never refused"],
        (["ssf", "introspection"] as const).map((mode) => {
          const f = r.modes[mode];
          return [mode, String(f.trials), ms(f.firstInstanceMs), ms(f.secondInstanceMs), ms(f.bothMs), f.bothMs ? `${f.bothMs.max} ms` : "—", String(f.neverRefused)];
        }),
      ),
    );
  }
  if (ssfCpu) {
    const r = ssfCpu.result;
    out.push(
      "",
      "## 9. Strapi throughput and CPU per request: check on (ssf, introspection) vs auth off",
      "",
      sectionLine(ssfCpu),
      "",
      `${r.sessions} distinct sessions in turn, ${r.concurrency} keep-alive connections, ${r.durationSeconds} s per run after ${r.warmupSeconds} s warm-up, ${r.rounds} rounds with the runs in a rotated order${r.warmupPassSeconds ? `, after an unmeasured ${r.warmupPassSeconds} s pass over every run` : ""}. CPU: the Strapi process's utime + stime (/proc/<pid>/stat) over the measured phase ÷ requests answered. ` +
        (r.offSendsTokens
          ? "The auth-off runs send the same requests, tokens included, to a route that does not authenticate, so each ratio is what authenticating costs Strapi; ssfOffNoToken sends none (a reference: smaller requests, and less work for the load generator on the same two cores)."
          : "The auth-off runs sent no token."),
      "",
      table(
        ["run", "instance", "route", "req/s", "CPU µs per request", "failed"],
        (["ssf", "ssfNoCheck", "ssfOff", "ssfOffNoToken", "introspection", "introspectionOff"] as const).flatMap((variant) => {
          const f = r.variants[variant];
          return f ? [[variant, f.instance, `\`${f.route}\``, mmm(f.requestsPerSecond, "", 0), mmm(f.cpuMicrosecondsPerRequest, "", 0), String(f.failures)]] : [];
        }),
      ),
      "",
      table(
        ["ratio (per round)", "throughput, mode ÷ auth off", "CPU per request, auth off ÷ mode"],
        (["ssf", "introspection"] as const).map((mode) => [mode, mmm(r.ratios[mode].throughputVsOff, "x"), mmm(r.ratios[mode].cpuOffVsMode, "x")]),
      ),
    );
    if (r.offWithoutTokens) {
      out.push(
        "",
        `Auth off with the tokens ÷ without them (ssfOff ÷ ssfOffNoToken, per round): throughput ${mmm(r.offWithoutTokens.throughputVsOff, "x")}, CPU per request (without ÷ with) ${mmm(r.offWithoutTokens.cpuNoTokenVsOff, "x")}.`,
      );
    }
    if (r.ssfCheck) {
      out.push(
        "",
        `The revocation check's own cost in ssf mode (ssf ÷ ssfNoCheck, the same strategy with the check off, per round): throughput ${mmm(r.ssfCheck.throughputVsNoCheck, "x")}, CPU per request ${mmm(r.ssfCheck.cpuNoCheckVsCheck, "x")}.`,
      );
    }
  }
  return out;
}
