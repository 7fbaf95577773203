/**
 * A local, wire-compatible stand-in for the LLM providers, so the real SDKs
 * are tested over real HTTP on 127.0.0.1 (random port). One server speaks one
 * wire format: OpenAI Chat Completions, OpenAI Responses, Anthropic Messages
 * or Gemini generateContent. It records every request (method, path,
 * headers, parsed body) for the test to assert on, and answers from a script
 * of steps: a reply with some text, an HTTP error with headers, a stall (the
 * connection is held open and never answered), a truncated JSON body, or a
 * connection reset. An optional sliding-window limit (`limit` requests per
 * `windowMs`) answers 429 with Retry-After when exceeded, for measuring a
 * client's real request rate.
 *
 * A request for a path the wire does not serve gets 404. Once the script is
 * used up, `respond` (if set) chooses the step from the request itself, for
 * tests that answer by content; otherwise an exhausted script gets 400 (not
 * retryable), so a test that sends more requests than it scripted fails fast
 * and visibly.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Wire = "openai-chat" | "openai-responses" | "anthropic" | "gemini";

export type Step =
  | { reply: string; finish?: string; usage?: { input: number; output: number } }
  | { status: number; headers?: Record<string, string>; body?: string }
  | { stall: true }
  | { truncate: true }
  | { reset: true };

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  at: number;
}

function wireMatches(wire: Wire, path: string): boolean {
  switch (wire) {
    case "openai-chat":
      return path === "/v1/chat/completions";
    case "openai-responses":
      return path === "/v1/responses";
    case "anthropic":
      return path === "/v1/messages";
    case "gemini":
      return /^\/v1beta\/models\/[^/:]+:generateContent$/.test(path);
  }
}

function replyBody(wire: Wire, model: string, step: Extract<Step, { reply: string }>): unknown {
  const usage = step.usage ?? { input: 11, output: 7 };
  switch (wire) {
    case "openai-chat":
      return {
        id: "chatcmpl-stub",
        object: "chat.completion",
        created: 1,
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: step.reply, refusal: null },
            finish_reason: step.finish ?? "stop",
            logprobs: null,
          },
        ],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
        },
      };
    case "openai-responses":
      return {
        id: "resp-stub",
        object: "response",
        created_at: 1,
        model,
        status: step.finish ?? "completed",
        output: [
          {
            type: "message",
            id: "msg-stub",
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", text: step.reply, annotations: [] }],
          },
        ],
        usage: { input_tokens: usage.input, output_tokens: usage.output, total_tokens: usage.input + usage.output },
      };
    case "anthropic":
      return {
        id: "msg_stub",
        type: "message",
        role: "assistant",
        model,
        content: [{ type: "text", text: step.reply }],
        stop_reason: step.finish ?? "end_turn",
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output },
      };
    case "gemini":
      return {
        candidates: [
          { content: { role: "model", parts: [{ text: step.reply }] }, finishReason: step.finish ?? "STOP", index: 0 },
        ],
        usageMetadata: {
          promptTokenCount: usage.input,
          candidatesTokenCount: usage.output,
          totalTokenCount: usage.input + usage.output,
        },
        modelVersion: model,
      };
  }
}

function modelOf(wire: Wire, path: string, body: Record<string, unknown>): string {
  if (wire === "gemini") return decodeURIComponent(path.split("/models/")[1]?.split(":")[0] ?? "");
  return typeof body["model"] === "string" ? body["model"] : "";
}

export class StubServer {
  readonly requests: Recorded[] = [];
  private readonly script: Step[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly served: number[] = [];
  /** At most `limit` requests per `windowMs` sliding window, else 429 with Retry-After; 0 = unlimited. */
  limit = 0;
  windowMs = 60_000;
  rejected = 0;
  /** Answers what the script does not cover, from the recorded request (it is already in `requests`). */
  respond: ((r: Recorded) => Step) | undefined;

  private constructor(
    readonly wire: Wire,
    private readonly server: Server,
  ) {}

  static async start(wire: Wire, steps: Step[] = []): Promise<StubServer> {
    const server = createServer();
    const stub = new StubServer(wire, server);
    stub.push(...steps);
    server.on("connection", (s) => {
      stub.sockets.add(s);
      s.on("close", () => stub.sockets.delete(s));
    });
    server.on("request", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: Record<string, unknown> = {};
        try {
          body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          body = { unparsable: text };
        }
        const path = (req.url ?? "").split("?")[0] ?? "";
        const recorded: Recorded = { method: req.method ?? "", path, headers: req.headers, body, at: Date.now() };
        stub.requests.push(recorded);
        const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { "content-type": "application/json", ...headers });
          res.end(JSON.stringify(payload));
        };
        if (!wireMatches(wire, path)) return json(404, { error: { message: `stub(${wire}): no route ${path}` } });
        if (stub.limit > 0) {
          const now = Date.now();
          while (stub.served.length > 0 && stub.served[0]! <= now - stub.windowMs) stub.served.shift();
          if (stub.served.length >= stub.limit) {
            stub.rejected++;
            const wait = Math.ceil((stub.served[0]! + stub.windowMs - now) / 1000);
            return json(429, { error: { message: "stub rate limit" } }, { "retry-after": String(wait) });
          }
          stub.served.push(now);
        }
        const step = stub.script.shift() ?? stub.respond?.(recorded);
        if (step === undefined) return json(400, { error: { message: "stub script exhausted" } });
        if ("reply" in step) return json(200, replyBody(wire, modelOf(wire, path, body), step));
        if ("status" in step) {
          res.writeHead(step.status, { "content-type": "application/json", ...step.headers });
          return res.end(step.body ?? JSON.stringify({ error: { message: `stub status ${step.status}` } }));
        }
        if ("stall" in step) return; // hold the connection open; close() destroys it
        if ("truncate" in step) {
          const full = JSON.stringify(replyBody(wire, modelOf(wire, path, body), { reply: "truncated" }));
          const cut = full.slice(0, Math.floor(full.length / 2));
          res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(cut)) });
          return res.end(cut);
        }
        req.socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return stub;
  }

  push(...steps: Step[]): void {
    this.script.push(...steps);
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The base URL each SDK expects for this wire. */
  get baseUrl(): string {
    return this.wire.startsWith("openai") ? `${this.origin}/v1` : this.origin;
  }

  get pending(): number {
    return this.script.length;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
