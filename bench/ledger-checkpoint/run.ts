import { runWithSources } from "../../dev/harness/run-with-sources.js";

// `make bench` runs this with plain tsx; the benchmark imports workspace packages by their
// TypeScript sources: run it in a child that can.
runWithSources(new URL("./checkpoint-bench.ts", import.meta.url));
