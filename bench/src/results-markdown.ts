// bench/RESULTS.md from bench/results.json: the targets of docs/decisions/0011-measured-targets.md with a
// verdict each, then every figure. A verdict says how many runs met a target,
// so a median that passes while a run misses is visible as such.
import type { BenchResults } from "./bench-results.ts";
import { mmm, sectionLine, table, verdict } from "./markdown-format.ts";
import { drillsDetails, drillsTargetRows } from "./drills-results-markdown.ts";
import { ssfDetails, ssfTargetRows } from "./ssf-results-markdown.ts";

export { round, verdict } from "./markdown-format.ts";

/** The targets table; also copied into the README between the bench markers. */
export function targetsTable(results: BenchResults): string {
  const rows: string[][] = [];
  const { strapiThroughput, verifyCost, refreshStorm, revocationLatency, stackStart, webLatency } = results.sections;
  if (strapiThroughput) {
    for (const [handler, label] of [["ping", "constant body"], ["articles", "article list"]] as const) {
      const ratios = strapiThroughput.result.handlers[handler].ratios;
      rows.push([`Strapi throughput, ours ÷ auth off (${label})`, "≥ 0.90x", mmm(ratios.keycloakVsOff, "x"), verdict(ratios.keycloakVsOff, (v) => v >= 0.9)]);
      rows.push([`Strapi throughput, ours ÷ users-permissions JWT (${label})`, "≥ 2x", mmm(ratios.keycloakVsUsersPermissions, "x"), verdict(ratios.keycloakVsUsersPermissions, (v) => v >= 2)]);
    }
  }
  if (verifyCost) {
    const ratio = verifyCost.result.ratioVsJwtVerify;
    rows.push(["Verification cost (a token's first request) ÷ bare jose RS256 `jwtVerify`", "≤ 2x", mmm(ratio, "x"), verdict(ratio, (v) => v <= 2)]);
  }
  if (refreshStorm) {
    const r = refreshStorm.result;
    const storm = (label: string, figures: typeof r.oneInstance | { skipped: string }) => {
      if ("skipped" in figures) {
        rows.push([`Refresh storm, ${label}`, "1 / 0 / 0", `skipped: ${figures.skipped}`, "not measured"]);
        return;
      }
      const met =
        figures.refreshesAtKeycloak.min === 1 && figures.refreshesAtKeycloak.max === 1 && figures.failedRequests.max === 0 && figures.signOuts.max === 0;
      rows.push([
        `Refresh storm, ${label}: refreshes at Keycloak / failed requests / sign-outs (${r.concurrentRequests} concurrent)`,
        "1 / 0 / 0",
        `${mmm(figures.refreshesAtKeycloak)} · ${mmm(figures.failedRequests)} · ${mmm(figures.signOuts)}`,
        met ? "met (every run)" : "**missed**",
      ]);
    };
    storm("one web instance", r.oneInstance);
    storm("two web instances sharing Redis", r.twoInstances);
  }
  if (revocationLatency) {
    const r = revocationLatency.result;
    const windowMs = r.revocationWindowSeconds * 1000;
    const labels = { adminSignOut: "admin sign-out", disableThenSignOut: "admin disable, then sign-out", disableOnly: "admin disable alone" } as const;
    for (const action of ["adminSignOut", "disableThenSignOut", "disableOnly"] as const) {
      const f = r.actions[action];
      const strapiMet = f.strapiNeverRejected === 0 ? verdict(f.strapiMs, (v) => v <= windowMs) : "**missed**";
      rows.push([`Revocation → Strapi refuses, ${labels[action]}`, `≤ ${r.revocationWindowSeconds} s (window)`, mmm(f.strapiMs, " ms", 0), strapiMet]);
      rows.push([
        `Revocation → web app refuses, ${labels[action]}`,
        "next request",
        `${mmm(f.webMs, " ms", 0)}; next request refused in ${f.webRefusedNextRequest}/${f.trials}${f.webNeverRejected ? `; never in ${f.webNeverRejected}` : ""}`,
        f.webRefusedNextRequest === f.trials ? "met (every run)" : "**missed**",
      ]);
    }
  }
  const sessionLayer = webLatency?.result.sessionLayer;
  if (sessionLayer) {
    rows.push([
      "Web app throughput, protected page through the BFF ÷ the same render with no session lookup (per round)",
      "≥ 0.90x",
      mmm(sessionLayer.throughputRatio, "x"),
      verdict(sessionLayer.throughputRatio, (v) => v >= 0.9),
    ]);
    if (sessionLayer.cpuRatio) {
      rows.push([
        "Web app CPU per request, the same render with no session lookup ÷ through the BFF (per round; the robust figure)",
        "≥ 0.90x",
        mmm(sessionLayer.cpuRatio, "x"),
        verdict(sessionLayer.cpuRatio, (v) => v >= 0.9),
      ]);
    }
    const perPage = Object.entries(sessionLayer.storeReadsPerView.pages).filter(([path]) => !path.endsWith("/without-session"));
    rows.push([
      `Token-store reads per page view (${perPage.map(([path]) => `\`${path}\``).join(" / ")})`,
      "1",
      perPage.map(([, reads]) => mmm(reads)).join(" · "),
      worstVerdict(perPage.map(([, reads]) => verdict(reads, (v) => v === 1))),
    ]);
  }
  rows.push(...ssfTargetRows(results));
  rows.push(...drillsTargetRows(results));
  if (stackStart) {
    const warm = stackStart.result.warm.seconds;
    rows.push(["`npm start`, warm cache, to all parts ready", "< 60 s", mmm(warm, " s", 1), verdict(warm, (v) => v < 60)]);
  }
  return table(["target (docs/decisions/0011-measured-targets.md)", "goal", "min / median / max", "verdict"], rows);
}

const VERDICT_ORDER = ["**missed**", "median only", "met (every run)"];

/** The weakest of several verdicts: a target over several pages is met only where every page meets it. */
function worstVerdict(verdicts: string[]): string {
  return verdicts.reduce((worst, v) => (VERDICT_ORDER.indexOf(v) < VERDICT_ORDER.indexOf(worst) ? v : worst), "met (every run)");
}

export function resultsMarkdown(results: BenchResults): string {
  const m = results.machine;
  const s = results.sections;
  const out: string[] = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` (bench/src/); last run ${results.generatedAt}. Every figure is **min / median / max** over the repetitions of its section. Sections measured at other times say so.`,
    "",
    table(
      ["machine", ""],
      [
        ["CPU", `${m.cpuModel}, ${m.cores} cores`],
        ["RAM", `${m.ramGiB} GiB`],
        ["OS", m.os],
        ["Node", m.node],
        ["Java", m.java],
        ["Keycloak", m.keycloak],
        ["Strapi", m.strapi],
        ["Next.js / next-auth", `${m.next} / ${m.nextAuth}`],
      ],
    ),
    "",
    "The machine is shared: other stacks may run while the bench does (the load average before each section is listed). Ratios are measured side by side in one run and are the figures to trust; absolute rates are this machine's.",
    "",
    "## Targets",
    "",
    targetsTable(results),
  ];

  if (s.strapiThroughput) {
    const r = s.strapiThroughput.result;
    out.push("", "## 1. Strapi throughput, one process, one run", "", sectionLine(s.strapiThroughput));
    out.push(
      "",
      `Closed loop, ${r.concurrency} keep-alive connections, ${r.durationSeconds} s per run after ${r.warmupSeconds} s warm-up; ${r.rounds} rounds (two per repetition), the four modes taking turns in each, ratios taken per round. Routes: \`/api/bench/<mode>/ping\` (constant body: authentication alone) and \`/api/bench/<mode>/articles\` (the article list: one query and a count), served only with \`CMS_BENCH_ROUTES=true\` (apps/cms/src/bench/). Revocation window ${r.revocationWindowSeconds} s.`,
    );
    for (const handler of ["ping", "articles"] as const) {
      const h = r.handlers[handler];
      out.push(
        "",
        `**${handler}**`,
        "",
        table(
          ["mode", "req/s", "p50 ms", "p99 ms", "failed"],
          (["off", "keycloak", "keycloak-no-revocation", "users-permissions"] as const).map((mode) => [
            mode,
            mmm(h.modes[mode].requestsPerSecond, "", 0),
            mmm(h.modes[mode].p50Ms),
            mmm(h.modes[mode].p99Ms),
            String(h.modes[mode].failures),
          ]),
        ),
        "",
        table(
          ["ratio (per round)", "min / median / max"],
          [
            ["ours (revocation on) ÷ auth off", mmm(h.ratios.keycloakVsOff, "x")],
            ["ours (revocation off) ÷ auth off", mmm(h.ratios.keycloakNoRevocationVsOff, "x")],
            ["ours (revocation on) ÷ users-permissions", mmm(h.ratios.keycloakVsUsersPermissions, "x")],
            ["revocation on ÷ revocation off", mmm(h.ratios.keycloakVsKeycloakNoRevocation, "x")],
          ],
        ),
      );
    }
  }
  if (s.verifyCost) {
    const r = s.verifyCost.result;
    out.push(
      "",
      "## 2. Verification cost per request",
      "",
      sectionLine(s.verifyCost),
      "",
      `The CMS's compiled \`verifyAccessToken\` with its JWKS key store, against jose on the same token and key, in one process; ${r.batches} alternating batches of ${r.iterationsPerBatch}.`,
      "",
      table(
        ["verification", "µs per token", "ratio, ours ÷ it"],
        [
          ["ours, a token's first request (`verifyAccessToken`: header, claims, key lookup, signature)", mmm(r.oursMicros), "—"],
          ["ours, its repeats (`VerifiedTokenCache`: lookup by the token's bytes, expiry check)", mmm(r.oursRepeatMicros), "—"],
          ["jose `jwtVerify` (RS256, the floor)", mmm(r.joseJwtVerifyMicros), mmm(r.ratioVsJwtVerify, "x")],
          ["jose `compactVerify` (signature only)", mmm(r.joseCompactVerifyMicros), mmm(r.ratioVsCompactVerify, "x")],
        ],
      ),
    );
  }
  if (s.refreshStorm) {
    const r = s.refreshStorm.result;
    out.push("", "## 3. Refresh storm", "", sectionLine(s.refreshStorm), "");
    out.push(
      `${r.concurrentRequests} concurrent \`GET /account\` with one session cookie, after its access token (${r.accessTokenLifetimeSeconds} s) expired. Refreshes are Keycloak's REFRESH_TOKEN events for that user; a request failed unless it returned the user's page; a sign-out is a session gone afterwards.`,
      "",
    );
    const rows = (["oneInstance", "twoInstances"] as const).map((key) => {
      const f = r[key];
      const label = key === "oneInstance" ? "one instance (file store)" : "two instances (Redis)";
      if ("skipped" in f) return [label, "skipped", f.skipped, "", "", ""];
      return [label, String(f.trials), mmm(f.refreshesAtKeycloak), mmm(f.refreshErrorsAtKeycloak), mmm(f.failedRequests), mmm(f.signOuts) + ` (wall ${mmm(f.wallMs, " ms", 0)})`];
    });
    out.push(table(["topology", "trials", "refreshes", "refresh errors", "failed requests", "sign-outs"], rows));
  }
  if (s.revocationLatency) {
    const r = s.revocationLatency.result;
    out.push(
      "",
      "## 4. Revocation latency",
      "",
      sectionLine(s.revocationLatency),
      "",
      `From just before the admin call to the first refusal. Strapi polled every ${r.pollIntervalMs.strapi} ms with a token of a second Keycloak session of the same user, the web app every ${r.pollIntervalMs.web} ms with a signed-in session; the admin acts at a random moment of Strapi's ${r.revocationWindowSeconds} s window.`,
      "",
      table(
        ["admin action", "Strapi refuses (ms)", "Strapi's code", "web app refuses (ms)", "web: next request refused", "admin call (ms)"],
        (["adminSignOut", "disableThenSignOut", "disableOnly"] as const).map((action) => {
          const f = r.actions[action];
          return [
            action,
            mmm(f.strapiMs, "", 0) + (f.strapiNeverRejected ? ` (never in ${f.strapiNeverRejected})` : ""),
            f.strapiCodes.join(", ") || "—",
            mmm(f.webMs, "", 0) + (f.webNeverRejected ? ` (never in ${f.webNeverRejected})` : ""),
            `${f.webRefusedNextRequest}/${f.trials}`,
            mmm(f.adminCallMs, "", 0),
          ];
        }),
      ),
    );
  }
  if (s.stackStart) {
    const r = s.stackStart.result;
    out.push("", "## 5. Stack start (`npm start` to all parts ready)", "", sectionLine(s.stackStart), "");
    out.push(
      "Timed from spawning the root script's command (`node stack/bootstrap.mjs start`) to its ready banner, on ports of its own, then stopped as Ctrl-C would.",
      "",
      table(
        ["start", "seconds", "what it includes"],
        [
          ["cold", "skipped" in r.cold ? "skipped" : mmm(r.cold.seconds, "", 1), "skipped" in r.cold ? r.cold.skipped : r.cold.includes],
          ["fresh state", mmm(r.freshState.seconds, "", 1), r.freshState.includes],
          ["warm", mmm(r.warm.seconds, "", 1), r.warm.includes],
        ],
      ),
    );
  }
  if (s.webLatency) {
    const r = s.webLatency.result;
    out.push(
      "",
      "## 6. Web app through the BFF",
      "",
      sectionLine(s.webLatency),
      "",
      `One signed-in session, ${r.concurrency} concurrent requests for ${r.durationSeconds} s per run (closed loop, keep-alive). \`/account\`: protected page whose render reads the user's sign-in methods from Keycloak's account API. \`/notes\`: protected page whose render fetches the user's notes from Strapi with the session's access token.`,
      "",
      table(
        ["page", "req/s", "p50 ms", "p90 ms", "p99 ms", "failed"],
        (["account", "notes"] as const).map((page) => {
          const f = r.pages[page];
          return [`/${page}`, mmm(f.requestsPerSecond, "", 1), mmm(f.p50Ms, "", 1), mmm(f.p90Ms, "", 1), mmm(f.p99Ms, "", 1), String(f.failures)];
        }),
      ),
    );
    const l = r.sessionLayer;
    if (l) {
      out.push(
        "",
        "**The session layer's cost.** The same render (the account page's content without its sign-in methods, which call Keycloak) on the web app's bench-only pages (`WEB_BENCH_ROUTES=true`, apps/web/src/app/bench/): `/bench/account/with-session` with the session cookie (the proxy opens the cookie, reads the token store and hands the session to the render; the page calls `requireUser`), `/bench/account/without-session` with no cookie and a fixed user (no lookup; the header shows the sign-in button instead of the user's name). " +
          `${l.concurrency} concurrent requests, ${l.durationSeconds} s per run after ${l.warmupSeconds} s warm-up, ${l.rounds} rounds (two per repetition), the two taking turns in alternating order; ratios per round.`,
        "",
        table(
          ["variant", "req/s", ...(l.cpuRatio ? ["CPU µs per request"] : []), "p50 ms", "p99 ms", "failed"],
          (["withSession", "withoutSession"] as const).map((variant) => {
            const f = l.variants[variant];
            const cpu = l.cpuRatio && f.cpuMicrosecondsPerRequest ? [mmm(f.cpuMicrosecondsPerRequest, "", 0)] : [];
            return [variant === "withSession" ? "with the session lookup" : "no session lookup", mmm(f.requestsPerSecond, "", 1), ...cpu, mmm(f.p50Ms, "", 1), mmm(f.p99Ms, "", 1), String(f.failures)];
          }),
        ),
        "",
        table(
          ["ratio (per round)", "min / median / max"],
          [
            ["throughput, with ÷ without", mmm(l.throughputRatio, "x")],
            ...(l.cpuRatio ? [["CPU per request, without ÷ with", mmm(l.cpuRatio, "x")]] : []),
            ["p50 latency, without ÷ with", mmm(l.p50LatencyRatio, "x")],
          ],
        ),
        ...(l.cpuRatio
          ? ["", "CPU: the web server process's utime + stime (/proc/<pid>/stat) over each measured phase ÷ the requests answered in it; the load generator runs on the same two cores, so throughput swings from run to run while CPU per request holds."]
          : []),
        "",
        `Token-store reads per page view, counted by the web app's bench-only counter (\`/api/bench/token-store-reads\`: every \`get\` and \`getSuccessor\`) over ${l.storeReadsPerView.viewsPerRound} sequential views per page, once per repetition:`,
        "",
        table(
          ["page", "reads per view"],
          Object.entries(l.storeReadsPerView.pages).map(([path, reads]) => [`\`${path}\``, mmm(reads)]),
        ),
      );
    }
  }
  out.push(...ssfDetails(results));
  out.push(...drillsDetails(results));
  return `${out.join("\n")}\n`;
}
