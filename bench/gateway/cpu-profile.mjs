// Preloaded into a process (`NODE_OPTIONS=--import=<this file>`, SYMBIONT_CPU_PROFILE_DIR set):
// records a CPU profile from start to exit and writes it as <dir>/<pid>.cpuprofile, which
// Chrome DevTools and speedscope open. Node 20 refuses --cpu-prof in NODE_OPTIONS.
import { Session } from "node:inspector";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";

const dir = process.env.SYMBIONT_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 200 });
  session.post("Profiler.start");
  // A session on the process's own thread answers synchronously, so this works in `exit`.
  process.once("exit", () => {
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
