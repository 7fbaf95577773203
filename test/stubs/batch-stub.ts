/**
 * A local, wire-compatible stand-in for the providers' batch APIs, so the
 * real SDKs' batch calls are tested over real HTTP on 127.0.0.1:
 *
 *   openai     POST /v1/files (multipart JSONL upload), POST /v1/batches,
 *              GET /v1/batches/:id, GET /v1/files/:id/content
 *   anthropic  POST /v1/messages/batches, GET /v1/messages/batches/:id,
 *              GET /v1/messages/batches/:id/results (JSONL)
 *   gemini     POST /v1beta/models/:model:batchGenerateContent,
 *              GET /v1beta/batches/:id
 *
 * A job stays pending/running for `pollsUntilDone` status reads, then ends
 * as `finalState`. Each request's answer comes from `reply(user text)`;
 * requests whose id is in `failIds` get a per-request error instead.
 * Everything created is kept in `jobs`, so a test can count submissions.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type BatchWire = "openai" | "anthropic" | "gemini";

export interface StubJob {
  id: string;
  /** Request ids in submission order, with their user text. */
  requests: { id: string; user: string }[];
  polls: number;
}

export class BatchStub {
  readonly jobs: StubJob[] = [];
  pollsUntilDone = 2;
  finalState: "succeeded" | "failed" | "expired" = "succeeded";
  failIds = new Set<string>();
  reply: (user: string) => string = () => "<steer>ok</steer><exec>ok</exec>";
  private readonly files = new Map<string, string>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly wire: BatchWire,
    private readonly server: Server,
  ) {}

  static async start(wire: BatchWire): Promise<BatchStub> {
    const server = createServer();
    const stub = new BatchStub(wire, server);
    server.on("connection", (s) => {
      stub.sockets.add(s);
      s.on("close", () => stub.sockets.delete(s));
    });
    server.on("request", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const path = (req.url ?? "").split("?")[0] ?? "";
        const send = (status: number, payload: unknown, type = "application/json") => {
          res.writeHead(status, { "content-type": type });
          res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
        };
        try {
          const out = stub.route(req.method ?? "GET", path, body, req.headers["content-type"] ?? "");
          if (out === undefined) return send(404, { error: { message: `batch stub: no route ${req.method} ${path}` } });
          send(200, out.payload, out.type);
        } catch (e) {
          send(500, { error: { message: String(e) } });
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return stub;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get baseUrl(): string {
    return this.wire === "openai" ? `${this.origin}/v1` : this.origin;
  }

  private state(job: StubJob): "pending" | "running" | "succeeded" | "failed" | "expired" {
    if (job.polls === 0) return "pending";
    if (job.polls <= this.pollsUntilDone) return "running";
    return this.finalState;
  }

  private newJob(requests: StubJob["requests"]): StubJob {
    const job = { id: `${this.jobs.length + 1}${Math.random().toString(36).slice(2, 8)}`, requests, polls: 0 };
    this.jobs.push(job);
    return job;
  }

  private find(id: string): StubJob {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) throw new Error(`no job ${id}`);
    return job;
  }

  private route(
    method: string,
    path: string,
    body: string,
    contentType: string,
  ): { payload: unknown; type?: string } | undefined {
    let m: RegExpExecArray | null;
    switch (this.wire) {
      case "openai": {
        if (method === "POST" && path === "/v1/files") {
          // multipart/form-data: take the file part's content.
          const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
          const part = body.split(`--${boundary}`).find((p) => p.includes('name="file"'))!;
          const content = part.slice(part.indexOf("\r\n\r\n") + 4).replace(/\r\n$/, "");
          const id = `file-${this.files.size + 1}`;
          this.files.set(id, content);
          return {
            payload: {
              id,
              object: "file",
              bytes: content.length,
              created_at: 1,
              filename: "requests.jsonl",
              purpose: "batch",
              status: "processed",
            },
          };
        }
        if (method === "POST" && path === "/v1/batches") {
          const { input_file_id } = JSON.parse(body) as { input_file_id: string };
          const lines = this.files
            .get(input_file_id)!
            .split("\n")
            .filter((l) => l.trim());
          const requests = lines.map((l) => {
            const o = JSON.parse(l) as { custom_id: string; body: { messages: { role: string; content: string }[] } };
            return { id: o.custom_id, user: o.body.messages.find((x) => x.role === "user")!.content };
          });
          return { payload: this.openAiBatch(this.newJob(requests), false) };
        }
        if (method === "GET" && (m = /^\/v1\/batches\/([^/]+)$/.exec(path))) {
          return { payload: this.openAiBatch(this.find(m[1]!), true) };
        }
        if (method === "GET" && (m = /^\/v1\/files\/([^/]+)\/content$/.exec(path))) {
          return { payload: this.files.get(m[1]!)!, type: "application/octet-stream" };
        }
        return undefined;
      }
      case "anthropic": {
        if (method === "POST" && path === "/v1/messages/batches") {
          const { requests } = JSON.parse(body) as {
            requests: { custom_id: string; params: { messages: { content: string }[] } }[];
          };
          const job = this.newJob(requests.map((r) => ({ id: r.custom_id, user: r.params.messages[0]!.content })));
          return { payload: this.anthropicBatch(job, false) };
        }
        if (method === "GET" && (m = /^\/v1\/messages\/batches\/([^/]+)$/.exec(path))) {
          return { payload: this.anthropicBatch(this.find(m[1]!), true) };
        }
        if (method === "GET" && (m = /^\/v1\/messages\/batches\/([^/]+)\/results$/.exec(path))) {
          const job = this.find(m[1]!);
          const lines = job.requests.map((r) =>
            this.failIds.has(r.id)
              ? {
                  custom_id: r.id,
                  result: {
                    type: "errored",
                    error: { type: "error", error: { type: "invalid_request_error", message: "stub: failed row" } },
                  },
                }
              : {
                  custom_id: r.id,
                  result: {
                    type: "succeeded",
                    message: {
                      id: "msg",
                      type: "message",
                      role: "assistant",
                      model: "m",
                      content: [{ type: "text", text: this.reply(r.user) }],
                      stop_reason: "end_turn",
                      stop_sequence: null,
                      usage: { input_tokens: 5, output_tokens: 5 },
                    },
                  },
                },
          );
          return { payload: lines.map((l) => JSON.stringify(l)).join("\n"), type: "application/binary" };
        }
        return undefined;
      }
      case "gemini": {
        if (method === "POST" && (m = /^\/v1beta\/models\/([^/:]+):batchGenerateContent$/.exec(path))) {
          const b = JSON.parse(body) as {
            batch: {
              inputConfig: {
                requests: {
                  requests: { request: { contents: { parts: { text: string }[] }[] }; metadata: { key: string } }[];
                };
              };
            };
          };
          const requests = b.batch.inputConfig.requests.requests.map((r) => ({
            id: r.metadata.key,
            user: r.request.contents[0]!.parts[0]!.text,
          }));
          return { payload: this.geminiBatch(this.newJob(requests), false) };
        }
        if (method === "GET" && (m = /^\/v1beta\/batches\/([^/]+)$/.exec(path))) {
          return { payload: this.geminiBatch(this.find(m[1]!), true) };
        }
        return undefined;
      }
    }
  }

  private openAiBatch(job: StubJob, poll: boolean): unknown {
    if (poll) job.polls++;
    const s = this.state(job);
    const status = {
      pending: "validating",
      running: "in_progress",
      succeeded: "completed",
      failed: "failed",
      expired: "expired",
    }[s];
    let output: string | null = null;
    let errors: string | null = null;
    if (s === "succeeded" && !this.files.has(`out-${job.id}`)) {
      const ok = job.requests.filter((r) => !this.failIds.has(r.id));
      const bad = job.requests.filter((r) => this.failIds.has(r.id));
      this.files.set(
        `out-${job.id}`,
        ok
          .map((r) =>
            JSON.stringify({
              id: `req-${r.id}`,
              custom_id: r.id,
              response: {
                status_code: 200,
                request_id: "x",
                body: {
                  id: "c",
                  object: "chat.completion",
                  created: 1,
                  model: "m",
                  choices: [
                    { index: 0, message: { role: "assistant", content: this.reply(r.user) }, finish_reason: "stop" },
                  ],
                  usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
                },
              },
              error: null,
            }),
          )
          .join("\n"),
      );
      this.files.set(
        `err-${job.id}`,
        bad
          .map((r) =>
            JSON.stringify({
              id: `req-${r.id}`,
              custom_id: r.id,
              response: null,
              error: { code: "x", message: "stub: failed row" },
            }),
          )
          .join("\n"),
      );
    }
    if (s === "succeeded") {
      output = `out-${job.id}`;
      errors = `err-${job.id}`;
    }
    return {
      id: job.id,
      object: "batch",
      endpoint: "/v1/chat/completions",
      input_file_id: "file",
      completion_window: "24h",
      status,
      output_file_id: output,
      error_file_id: errors,
      created_at: 1,
      request_counts: { total: job.requests.length, completed: 0, failed: 0 },
    };
  }

  private anthropicBatch(job: StubJob, poll: boolean): unknown {
    if (poll) job.polls++;
    const s = this.state(job);
    const ended = s !== "pending" && s !== "running";
    const failed = job.requests.filter((r) => this.failIds.has(r.id)).length;
    return {
      id: job.id,
      type: "message_batch",
      processing_status: ended ? "ended" : "in_progress",
      request_counts: {
        processing: ended ? 0 : job.requests.length,
        succeeded: ended && s === "succeeded" ? job.requests.length - failed : 0,
        errored: ended && s === "succeeded" ? failed : 0,
        canceled: 0,
        expired: ended && s !== "succeeded" ? job.requests.length : 0,
      },
      created_at: "2026-01-01T00:00:00Z",
      expires_at: "2026-01-02T00:00:00Z",
      ended_at: ended ? "2026-01-01T01:00:00Z" : null,
      archived_at: null,
      cancel_initiated_at: null,
      results_url: ended ? `${this.origin}/v1/messages/batches/${job.id}/results` : null,
    };
  }

  private geminiBatch(job: StubJob, poll: boolean): unknown {
    if (poll) job.polls++;
    const s = this.state(job);
    const state = {
      pending: "BATCH_STATE_PENDING",
      running: "BATCH_STATE_RUNNING",
      succeeded: "BATCH_STATE_SUCCEEDED",
      failed: "BATCH_STATE_FAILED",
      expired: "BATCH_STATE_EXPIRED",
    }[s];
    const metadata: Record<string, unknown> = {
      "@type": "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch",
      model: "models/m",
      state,
    };
    if (s === "succeeded") {
      metadata["output"] = {
        inlinedResponses: {
          inlinedResponses: job.requests.map((r) =>
            this.failIds.has(r.id)
              ? { error: { code: 400, message: "stub: failed row" }, metadata: { key: r.id } }
              : {
                  response: {
                    candidates: [
                      { content: { role: "model", parts: [{ text: this.reply(r.user) }] }, finishReason: "STOP" },
                    ],
                    usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 5 },
                  },
                  metadata: { key: r.id },
                },
          ),
        },
      };
    }
    return { name: `batches/${job.id}`, metadata, done: s !== "pending" && s !== "running" };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
