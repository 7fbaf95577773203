/** `qds validate <dir>`: prints each finding as `path:line: severity: message`; exit 1 when any error. */
import { parseArgs } from "node:util";
import { formatFinding, validateDataset } from "../dataset/validate";

export async function validateCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) {
    process.stderr.write("usage: qds validate <dataset-dir>\n");
    return 2;
  }
  const { problems, findings } = validateDataset(positionals[0]!);
  for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
  const errors = findings.filter((f) => f.severity === "error").length;
  process.stdout.write(`${problems} problems checked: ${errors} errors, ${findings.length - errors} warnings\n`);
  return errors > 0 ? 1 : 0;
}
