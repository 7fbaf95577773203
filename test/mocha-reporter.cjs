// Mocha's spec reporter plus a closing "unit: N passed, N failed" line, and
// the counts written to $QDS_TEST_COUNTS/unit for scripts/test.sh's total.
const fs = require("node:fs");
const path = require("node:path");
const Mocha = require("mocha");

class CountingSpec extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures } = runner.stats;
      console.log(`unit: ${passes} passed, ${failures} failed`);
      const dir = process.env.QDS_TEST_COUNTS;
      if (dir) fs.writeFileSync(path.join(dir, "unit"), `${passes} ${failures}\n`);
    });
  }
}
module.exports = CountingSpec;
