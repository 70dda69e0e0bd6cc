import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../harness/tool-paths.js";
import {
  longDurations,
  reportTable,
  runScenario,
  scenarios,
  startChaosStack,
  type Durations,
  type Tally,
} from "./fault-suite.js";
import { operatorScenario, runOperatorScenario } from "./operator-faults.js";

// `make chaos` (`node --conditions=symbiont-source --import tsx dev/chaos/chaos-report.ts`):
// every scenario of the fault suite in its long version, one line each, and
// the report written into RELIABILITY.md (between its chaos-report markers) with the date
// and the machine's load. CHAOS_MESSAGES, CHAOS_KILLS, CHAOS_OUTAGE_SECONDS, CHAOS_MODULES,
// CHAOS_SETTLE_SECONDS and CHAOS_SCENARIOS (e.g. S1,S3b,S8) change the run; a run that is
// not the full long one is printed but not written. A scenario that fails to run is reported as such and the
// others still run.

const durations: Durations = {
  messages: Number(process.env.CHAOS_MESSAGES ?? longDurations.messages),
  kills: Number(process.env.CHAOS_KILLS ?? longDurations.kills),
  outageSeconds: Number(process.env.CHAOS_OUTAGE_SECONDS ?? longDurations.outageSeconds),
  settleSeconds: Number(process.env.CHAOS_SETTLE_SECONDS ?? longDurations.settleSeconds),
  modules: Number(process.env.CHAOS_MODULES ?? longDurations.modules),
};
const only = process.env.CHAOS_SCENARIOS?.split(",").map((id) => id.trim().toUpperCase());
const chosen = scenarios.filter((scenario) => !only || only.includes(scenario.id.toUpperCase()));
const withOperator = !only || only.includes(operatorScenario.id);
const full =
  !only &&
  durations.modules === longDurations.modules &&
  durations.messages === longDurations.messages &&
  durations.kills === longDurations.kills &&
  durations.outageSeconds === longDurations.outageSeconds;

const loadBefore = loadavg()[0] ?? 0;
console.log(
  `fault suite: ${[...chosen.map((s) => s.id), ...(withOperator ? [operatorScenario.id] : [])].join(" ")}; ${durations.messages} messages each, ${durations.modules} modules; load ${loadBefore.toFixed(1)} on ${cpus().length} cores`,
);
const tallies: Tally[] = [];
const say = (line: string) => console.log(line);
const record = async (id: string, title: string, run: () => Promise<Tally>) => {
  const started = performance.now();
  let tally: Tally;
  try {
    tally = await run();
  } catch (error) {
    // Counted as a failure with its reason; the next scenario still runs.
    tally = {
      id,
      title,
      sent: 0,
      delivered: 0,
      lost: 0,
      duplicated: 0,
      redelivered: 0,
      auditOk: false,
      auditProblems: [`did not complete: ${(error as Error).message.split("\n")[0]}`],
      seconds: Math.round((performance.now() - started) / 1000),
    };
  }
  tallies.push(tally);
  console.log(
    `${tally.id} ${tally.title}: sent ${tally.sent}, delivered ${tally.delivered}, lost ${tally.lost}, applied twice ${tally.duplicated}, redelivered ${tally.redelivered}, reordered ${tally.reordered ?? "-"}${tally.poison ? `, poison recorded ${tally.poison.recorded}/${tally.poison.sent}` : ""}, audit ${tally.auditOk ? "ok" : `PROBLEMS: ${tally.auditProblems.join("; ")}`}${tally.missing?.length ? `, lost: ${tally.missing.join(", ")}` : ""} (${tally.seconds} s)`,
  );
};
if (chosen.length > 0) {
  const stack = await startChaosStack();
  try {
    for (const scenario of chosen)
      await record(scenario.id, scenario.title(durations), () =>
        runScenario(stack, scenario, durations, say),
      );
  } finally {
    await stack.stop();
  }
}
// On a control plane of its own, once the gateway's stack is down.
if (withOperator)
  await record(operatorScenario.id, operatorScenario.title(durations), () =>
    runOperatorScenario(durations, say),
  );
const table = reportTable(tallies);
console.log(`\n${table}`);
const failed = tallies.some((t) => t.lost > 0 || t.duplicated > 0 || !t.auditOk);
if (full) {
  const path = join(repoRoot, "RELIABILITY.md");
  const text = readFileSync(path, "utf8");
  const start = "<!-- chaos-report:start -->";
  const end = "<!-- chaos-report:end -->";
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`RELIABILITY.md has no ${start} ... ${end} section`);
  const report = [
    start,
    "",
    `Last \`make chaos\`: ${new Date().toISOString().slice(0, 10)}, ${durations.messages} messages per scenario (S8: ${durations.modules} module creates), outages of ${durations.outageSeconds} s, ${durations.kills} gateway kills; load average ${loadBefore.toFixed(1)} before the run and ${(loadavg()[0] ?? 0).toFixed(1)} after, on ${cpus().length} cores.`,
    "",
    table,
    "",
    end,
  ].join("\n");
  writeFileSync(path, text.slice(0, from) + report + text.slice(to + end.length));
  console.log("written to RELIABILITY.md");
}
process.exit(failed ? 1 : 0);
