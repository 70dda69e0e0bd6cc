import { describe, expect, it } from "vitest";
import { reportTable, shortDurations } from "../../dev/chaos/fault-suite.js";
import { operatorScenario, runOperatorScenario } from "../../dev/chaos/operator-faults.js";

// The fault suite's S8, short (`make chaos` creates 1,000 modules): on a control plane of
// its own, the operator SIGKILLed and kube-apiserver killed and started again while modules
// are created. Afterwards every module is Ready with the Deployment the operator's functions
// give, and nothing is there twice: one Deployment per module, one ReplicaSet per
// Deployment, no object the modules do not want.

describe("the fault suite, short: the operator and the API server", () => {
  it(`${operatorScenario.id}: when ${operatorScenario.title(shortDurations)}, then every module is Ready and nothing is duplicated`, async () => {
    const tally = await runOperatorScenario(shortDurations);
    console.log(reportTable([tally]));
    expect({
      lost: tally.lost,
      duplicated: tally.duplicated,
      problems: tally.auditProblems,
    }).toEqual({ lost: 0, duplicated: 0, problems: [] });
    expect(tally.delivered).toBe(tally.sent);
    expect(tally.sent).toBe(shortDurations.modules);
  }, 600_000);
});
