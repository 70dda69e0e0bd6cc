import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { componentsDir, renderComponents } from "../dev/render/render-components.js";

// `make generate`: writes components/ (the samples' Dapr resources for a bare daprd) from
// samples/ through the operator's functions; a unit test fails when it is stale.

const files = renderComponents();
mkdirSync(componentsDir, { recursive: true });
for (const file of readdirSync(componentsDir))
  if (!files.has(file)) rmSync(join(componentsDir, file));
for (const [file, content] of files) writeFileSync(join(componentsDir, file), content);
console.log(`components/: ${[...files.keys()].join(", ")}`);
