/**
 * System commands: `\cmd args` at the console and `system "cmd args"`. The sandbox allows
 * the ones that only read or set session state (console size, precision, namespace, timing,
 * the names defined, `\l` of an allow-listed script); the rest (shell, files, ports, timers)
 * signal 'nyi. A new command is one more case here.
 */
import { ExitSignal, raise } from "./errors";
import type { Interp } from "./interp";
import { IDENTITY, isFunction, sym, syms, type Value, vectorOf } from "./values";

/** Runs one system command in session it; returns its value (:: for a setting that was set). */
export function systemCommand(it: Interp, command: string): Value {
  const m = /^(\S+)\s*(.*)$/s.exec(command.trim());
  const cmd = m?.[1] ?? "";
  const arg = (m?.[2] ?? "").trim();
  switch (cmd) {
    case "\\":
      throw new ExitSignal(0);
    case "c": {
      if (arg === "") return vectorOf(6, [it.settings.rows, it.settings.cols]);
      const [r, c] = arg.split(/\s+/).map(Number);
      if (!Number.isInteger(r) || !Number.isInteger(c)) raise("domain");
      it.settings.rows = Math.max(10, r!);
      it.settings.cols = Math.max(10, c!);
      return IDENTITY;
    }
    case "P": {
      if (arg === "") return { kind: "atom", type: 6, v: it.settings.precision };
      const p = Number(arg);
      if (!Number.isInteger(p) || p < 0) raise("domain");
      it.settings.precision = p === 0 ? 17 : Math.min(p, 17);
      return IDENTITY;
    }
    case "d": {
      if (arg === "") return sym(it.env.ns === "" ? "." : it.env.ns);
      if (!/^\.[A-Za-z0-9_.]*$/.test(arg)) raise("domain");
      it.env.ns = arg === "." ? "" : arg;
      return IDENTITY;
    }
    case "l": {
      const text = it.allowLoad?.(arg);
      if (text === undefined) raise(arg === "" ? "domain" : arg);
      it.runScriptText(text);
      return IDENTITY;
    }
    case "x":
      // \x .z.pi (or another handler) restores the default by deleting the user's one.
      if (!/^\.z\.[a-z]+$/.test(arg)) raise("domain");
      it.env.delete(arg);
      return IDENTITY;
    case "e": {
      // The error-trap mode is kept and shown; this console never suspends, so it changes nothing.
      if (arg === "") return { kind: "atom", type: 6, v: it.settings.errorMode ?? 0 };
      if (!/^[012]$/.test(arg)) raise("domain");
      it.settings.errorMode = Number(arg);
      return IDENTITY;
    }
    case "z": {
      // How "D"$ reads a slashed date: 0 mm/dd/yyyy (the default), 1 dd/mm/yyyy.
      if (arg === "") return { kind: "atom", type: 6, v: it.settings.dayFirst ? 1 : 0 };
      if (arg !== "0" && arg !== "1") raise("domain");
      it.settings.dayFirst = arg === "1";
      return IDENTITY;
    }
    case "t":
    case "ts": {
      const t0 = performance.now();
      it.evalText(arg);
      const ms = Math.round(performance.now() - t0);
      return cmd === "t" ? { kind: "atom", type: 7, v: ms } : vectorOf(7, [ms, 0]);
    }
    case "v":
      return syms(it.env.rootNames().sort());
    case "f":
      return syms(
        it.env
          .rootNames()
          .filter((k) => isFunction(it.env.get(k)))
          .sort(),
      );
    default:
      // Shell commands, file system, ports, timers: not in the sandbox.
      return raise(cmd === "" ? "domain" : "nyi");
  }
}
