// Sums the per-layer counts that each test layer wrote into the folder named
// on the command line (one "<passed> <failed>" file per layer) and prints the
// closing line CI reads. Exits non-zero when a layer is missing or nothing ran.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const expected = ["unit", "grammar", "pytest", "integration"];
let passed = 0;
let failed = 0;
const seen = readdirSync(dir);
for (const layer of expected) {
  if (!seen.includes(layer)) {
    console.error(`total: layer '${layer}' reported no result`);
    process.exit(1);
  }
  const [p, f] = readFileSync(join(dir, layer), "utf8").trim().split(/\s+/).map(Number);
  passed += p;
  failed += f;
}
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
