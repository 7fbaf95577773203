/**
 * The one vocabulary every provider speaks: a completion request in, a
 * completion result out, and a single error type whose `kind` tells the
 * retry loop what to do. Providers translate their SDK's shapes and errors
 * into these; nothing above `providers/` sees an SDK type.
 *
 * Invariant: an `LlmError` message never contains an API key. Providers build
 * messages through `redact` and never attach the SDK error as `cause`, since
 * SDK errors can carry request details we do not control.
 */

export type ProviderName =
  | "openai"
  | "openai-responses"
  | "anthropic"
  | "gemini"
  | "openai-compatible"
  /** VS Code's Language Model API, reached through the editor (providers/forward.ts). */
  | "vscode-lm";

export const PROVIDER_NAMES: readonly ProviderName[] = [
  "openai",
  "openai-responses",
  "anthropic",
  "gemini",
  "openai-compatible",
  "vscode-lm",
];

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

export interface CompletionRequest {
  system?: string;
  messages: ChatMessage[];
  model: string;
  maxTokens: number;
  temperature?: number;
  /** Stop sequences, where the API takes them (the Responses API does not; callers cut replies themselves). */
  stop?: string[];
  /** Per attempt; a stalled connection becomes a retryable `timeout`. */
  timeoutMs: number;
  /** Caller cancellation; never retried. */
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface CompletionResult {
  text: string;
  usage: Usage;
  model: string;
  /** Normalised: "stop", "length" or the provider's own word when it is neither. */
  finishReason: string;
  raw?: unknown;
}

export interface Provider {
  readonly name: ProviderName;
  complete(req: CompletionRequest): Promise<CompletionResult>;
}

/**
 * Kinds, with whether the retry loop retries them:
 *   rate_limit  429                         yes (Retry-After honoured)
 *   server      5xx                         yes
 *   timeout     our per-attempt timer fired yes
 *   connection  reset, refused, DNS         yes
 *   malformed   unparsable or empty body    yes (noted in the attempt log)
 *   auth        401/403                     no
 *   request     other 4xx                   no
 *   aborted     the caller's signal         no
 *   config      bad settings, missing key   no
 */
export type LlmErrorKind =
  | "rate_limit"
  | "server"
  | "timeout"
  | "connection"
  | "malformed"
  | "auth"
  | "request"
  | "aborted"
  | "config";

const RETRYABLE: ReadonlySet<LlmErrorKind> = new Set(["rate_limit", "server", "timeout", "connection", "malformed"]);

export class LlmError extends Error {
  override readonly name = "LlmError";
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
    /** Milliseconds the server asked us to wait (Retry-After), if it did. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}
