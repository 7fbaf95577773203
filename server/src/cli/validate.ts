/** `qds validate <dir>`: prints each finding as `path:line: severity: message`; exit 1 when any error. */
import { formatFinding, validateDataset } from "../dataset/validate";
import { act, Command, datasetDir } from "./args";

export function validateCommand(): Command {
  return new Command("validate")
    .summary("check every problem folder of a dataset")
    .description(
      "Checks every problem folder of a dataset: entry.json against the schema, missing files, " +
        "gaps in test numbering, the one-solve-call rule of q tests. Prints each finding as " +
        "path:line: severity: message. Exit code 1 when any error was found.",
    )
    .argument("<dataset-dir>", "the dataset folder (a folder of problem folders)")
    .action(
      act((dir: string) => {
        const { problems, findings } = validateDataset(datasetDir(dir));
        for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
        const errors = findings.filter((f) => f.severity === "error").length;
        process.stdout.write(`${problems} problems checked: ${errors} errors, ${findings.length - errors} warnings\n`);
        return errors > 0 ? 1 : 0;
      }),
    );
}
