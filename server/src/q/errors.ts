// q-level errors.
//
// Everything q code can catch with trap (`@[f;x;handler]`, `.[f;x;handler]`) is a QError carrying
// q's error name without the leading quote ("type", "length", "rank", "domain", ...). Any other
// exception escaping the engine is an internal bug, never a q error.

export interface Span {
  start: number;
  end: number;
}

export class QError extends Error {
  readonly qname: string;
  span?: Span;

  constructor(qname: string, span?: Span) {
    super(`'${qname}`);
    this.name = "QError";
    this.qname = qname;
    if (span) this.span = span;
  }
}

/** Throws the q error `'name`, optionally pointing at source text. */
export function raise(name: string, span?: Span): never {
  throw new QError(name, span);
}

export const isQError = (e: unknown): e is QError => e instanceof QError;

/** `exit n` / `\\`: ends the session (never the host process). */
export class ExitSignal {
  constructor(readonly code: number) {}
}
