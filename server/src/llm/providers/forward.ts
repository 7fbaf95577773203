/**
 * A provider that performs no HTTP itself: it hands the request to a callback.
 * The language server uses it for `vscode-lm`, where the model lives in the
 * editor (VS Code's Language Model API) and only the client can reach it; the
 * callback sends a reverse request to the client. Keeping the callback
 * abstract keeps this module headless.
 *
 * The editor's API reports no token usage and no finish reason, so the
 * callback may omit them: usage then falls back to the length estimate, which
 * keeps the rate limiter and cost totals meaningful.
 */
import { estimateTokens } from "../pricing";
import { type CompletionRequest, type CompletionResult, LlmError, type Provider } from "../types";

export interface ForwardReply {
  text: string;
  model: string;
  usage?: { inputTokens: number; outputTokens: number };
}

export type ForwardComplete = (req: CompletionRequest) => Promise<ForwardReply>;

export function createForwardProvider(forward: ForwardComplete): Provider {
  return {
    name: "vscode-lm",
    async complete(req): Promise<CompletionResult> {
      if (req.signal?.aborted) throw new LlmError("aborted", "vscode-lm: cancelled");
      let reply: ForwardReply;
      try {
        reply = await forward(req);
      } catch (e) {
        if (e instanceof LlmError) throw e;
        if (req.signal?.aborted) throw new LlmError("aborted", "vscode-lm: cancelled");
        // The editor's own message says what is wrong (no model, consent refused); it is not retryable.
        throw new LlmError("config", `vscode-lm: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (reply.text === "") throw new LlmError("malformed", "vscode-lm: empty reply");
      const input = estimateTokens((req.system ?? "") + req.messages.map((m) => m.content).join(""));
      return {
        text: reply.text,
        model: reply.model,
        usage: reply.usage ?? { inputTokens: input, outputTokens: estimateTokens(reply.text) },
        finishReason: "stop",
      };
    },
  };
}
