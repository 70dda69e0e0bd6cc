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

// `make chaos` (`node --conditions=symbiont-source --import tsx dev/chaos/chaos-report.ts`):
// every scenario of the fault suite in its long version, one line each, and
// the report written into RELIABILITY.md (between its chaos-report markers) with the date
// and the machine's load. CHAOS_MESSAGES, CHAOS_KILLS, CHAOS_OUTAGE_SECONDS and
// CHAOS_SCENARIOS (e.g. S1,S4) change the run; a run that is not the full long one is
// printed but not written.

const durations: Durations = {
  messages: Number(process.env.CHAOS_MESSAGES ?? longDurations.messages),
  kills: Number(process.env.CHAOS_KILLS ?? longDurations.kills),
  outageSeconds: Number(process.env.CHAOS_OUTAGE_SECONDS ?? longDurations.outageSeconds),
  settleSeconds: longDurations.settleSeconds,
};
const only = process.env.CHAOS_SCENARIOS?.split(",").map((id) => id.trim().toUpperCase());
const chosen = scenarios.filter((scenario) => !only || only.includes(scenario.id.toUpperCase()));
const full =
  !only &&
  durations.messages === longDurations.messages &&
  durations.kills === longDurations.kills &&
  durations.outageSeconds === longDurations.outageSeconds;

const loadBefore = loadavg()[0] ?? 0;
console.log(
  `fault suite: ${chosen.map((s) => s.id).join(" ")}; ${durations.messages} messages each; load ${loadBefore.toFixed(1)} on ${cpus().length} cores`,
);
const stack = await startChaosStack();
const tallies: Tally[] = [];
try {
  for (const scenario of chosen) {
    const tally = await runScenario(stack, scenario, durations, (line) => console.log(line));
    tallies.push(tally);
    console.log(
      `${tally.id} ${tally.title}: sent ${tally.sent}, delivered ${tally.delivered}, lost ${tally.lost}, applied twice ${tally.duplicated}, redelivered ${tally.redelivered}, reordered ${tally.reordered}${tally.poison ? `, poison recorded ${tally.poison.recorded}/${tally.poison.sent}` : ""}, audit ${tally.auditOk ? "ok" : "PROBLEMS"} (${tally.seconds} s)`,
    );
  }
} finally {
  await stack.stop();
}
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
    `Last \`make chaos\`: ${new Date().toISOString().slice(0, 10)}, ${durations.messages} messages per scenario, outages of ${durations.outageSeconds} s, ${durations.kills} gateway kills; load average ${loadBefore.toFixed(1)} before the run and ${(loadavg()[0] ?? 0).toFixed(1)} after, on ${cpus().length} cores.`,
    "",
    table,
    "",
    end,
  ].join("\n");
  writeFileSync(path, text.slice(0, from) + report + text.slice(to + end.length));
  console.log("written to RELIABILITY.md");
}
process.exit(failed ? 1 : 0);
