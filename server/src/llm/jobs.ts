/**
 * Provider batch jobs: many completion requests submitted as one job, at
 * about half the price of synchronous calls, finished within hours. One
 * interface over the three wire formats, each through its real SDK:
 *
 *   OpenAI Batch              upload a JSONL file (purpose "batch"), create
 *                             the batch, poll it, download the output file
 *                             and the error file; lines carry custom_id.
 *   Anthropic Message Batches create with the requests inline, poll
 *                             processing_status, stream results_url; each
 *                             result carries custom_id.
 *   Gemini batch              batchGenerateContent with inlined requests
 *                             (metadata.key = our id), poll the job, read the
 *                             inlined responses (each with its metadata.key).
 *
 * Every result is mapped back by the caller's id, never by position alone:
 * a partial failure names the ids that failed. A job is addressed by the
 * provider's id (e.g. `batches/123` for Gemini), so a finished job can be
 * recovered later from that id alone. Calls here are single attempts with
 * the provider error mapped to LlmError; the caller's poll loop and retry
 * policy decide what to do with a failure.
 */
import type OpenAI from "openai";
import { ANTHROPIC_BASE_URL } from "./providers/anthropic";
import { type Attempt, toLlmError } from "./providers/common";
import { OPENAI_BASE_URL } from "./providers/openai";
import { loadSdks } from "./sdk";
import type { LlmSettings } from "./settings";
import { type ChatMessage, LlmError, type ProviderName } from "./types";

export interface JobRequest {
  /** The caller's id for this request (a row id); results come back under it. */
  id: string;
  system?: string;
  messages: ChatMessage[];
}

/** Normalised job state; `done` states are terminal. */
export type JobState = "pending" | "running" | "succeeded" | "failed" | "cancelled" | "expired";
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(["succeeded", "failed", "cancelled", "expired"]);

export interface JobStatus {
  id: string;
  state: JobState;
  /** The provider's own word for the state, for messages. */
  raw: string;
}

export type JobResult =
  | { id: string; text: string; inputTokens: number; outputTokens: number }
  | { id: string; error: string };

export interface BatchJobs {
  readonly provider: ProviderName;
  submit(requests: readonly JobRequest[]): Promise<string>;
  status(jobId: string): Promise<JobStatus>;
  /** Results of a finished job; ids the job knows nothing about are left out. */
  results(jobId: string): Promise<JobResult[]>;
}

/** A single attempt with no deadline of our own: a failure is mapped, never retried here. */
const once: Attempt = { signal: new AbortController().signal, timedOut: () => false, callerAborted: () => false };

async function mapped<T>(provider: ProviderName, secrets: readonly string[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toLlmError(e, provider, secrets, once);
  }
}

function openAiJobs(settings: LlmSettings, apiKey: string | undefined): BatchJobs {
  const secrets = apiKey ? [apiKey] : [];
  const client = new (loadSdks().OpenAI)({
    apiKey: apiKey || "no-key",
    baseURL: settings.baseUrl ?? OPENAI_BASE_URL,
    maxRetries: 0,
    organization: null,
    project: null,
  });
  const name = settings.provider;
  const STATE: Record<string, JobState> = {
    validating: "pending",
    in_progress: "running",
    finalizing: "running",
    cancelling: "running",
    completed: "succeeded",
    failed: "failed",
    expired: "expired",
    cancelled: "cancelled",
  };
  return {
    provider: name,
    submit: (requests) =>
      mapped(name, secrets, async () => {
        const lines = requests.map((r) =>
          JSON.stringify({
            custom_id: r.id,
            method: "POST",
            url: "/v1/chat/completions",
            body: {
              model: settings.model,
              messages: [...(r.system ? [{ role: "system", content: r.system }] : []), ...r.messages],
              max_completion_tokens: settings.maxTokens,
              temperature: settings.temperature,
            },
          }),
        );
        const file = await client.files.create({
          file: await loadSdks().toFile(Buffer.from(`${lines.join("\n")}\n`), "requests.jsonl"),
          purpose: "batch",
        });
        const batch = await client.batches.create({
          input_file_id: file.id,
          endpoint: "/v1/chat/completions",
          completion_window: "24h",
        });
        return batch.id;
      }),
    status: (jobId) =>
      mapped(name, secrets, async () => {
        const b = await client.batches.retrieve(jobId);
        return { id: b.id, state: STATE[b.status] ?? "running", raw: b.status };
      }),
    results: (jobId) =>
      mapped(name, secrets, async () => {
        const b = await client.batches.retrieve(jobId);
        const out: JobResult[] = [];
        for (const fileId of [b.output_file_id, b.error_file_id]) {
          if (!fileId) continue;
          const text = await (await client.files.content(fileId)).text();
          for (const line of text.split("\n")) {
            if (!line.trim()) continue;
            const o = JSON.parse(line) as {
              custom_id: string;
              response?: { status_code: number; body?: OpenAI.ChatCompletion } | null;
              error?: { message?: string } | null;
            };
            const body = o.response?.body;
            const content = body?.choices?.[0]?.message?.content;
            if (o.response?.status_code === 200 && typeof content === "string") {
              out.push({
                id: o.custom_id,
                text: content,
                inputTokens: body?.usage?.prompt_tokens ?? 0,
                outputTokens: body?.usage?.completion_tokens ?? 0,
              });
            } else {
              const why = o.error?.message ?? `HTTP ${o.response?.status_code ?? "?"}`;
              out.push({ id: o.custom_id, error: why });
            }
          }
        }
        return out;
      }),
  };
}

function anthropicJobs(settings: LlmSettings, apiKey: string): BatchJobs {
  const secrets = [apiKey];
  const client = new (loadSdks().Anthropic)({
    apiKey,
    authToken: null,
    baseURL: settings.baseUrl ?? ANTHROPIC_BASE_URL,
    maxRetries: 0,
  });
  return {
    provider: "anthropic",
    submit: (requests) =>
      mapped("anthropic", secrets, async () => {
        const b = await client.messages.batches.create({
          requests: requests.map((r) => ({
            custom_id: r.id,
            params: {
              model: settings.model,
              max_tokens: settings.maxTokens,
              temperature: settings.temperature,
              ...(r.system ? { system: r.system } : {}),
              messages: r.messages.map((m) => ({ role: m.role, content: m.content })),
            },
          })),
        });
        return b.id;
      }),
    status: (jobId) =>
      mapped("anthropic", secrets, async () => {
        const b = await client.messages.batches.retrieve(jobId);
        const c = b.request_counts;
        // An ended batch is "succeeded" as a job; its per-request failures come back as errors in results().
        const state: JobState =
          b.processing_status !== "ended"
            ? "running"
            : c.succeeded + c.errored > 0
              ? "succeeded"
              : c.canceled > 0
                ? "cancelled"
                : "expired";
        return { id: b.id, state, raw: b.processing_status };
      }),
    results: (jobId) =>
      mapped("anthropic", secrets, async () => {
        const out: JobResult[] = [];
        for await (const r of await client.messages.batches.results(jobId)) {
          if (r.result.type === "succeeded") {
            const m = r.result.message;
            const text = m.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("");
            out.push({ id: r.custom_id, text, inputTokens: m.usage.input_tokens, outputTokens: m.usage.output_tokens });
          } else {
            const why = r.result.type === "errored" ? r.result.error.error.message : r.result.type;
            out.push({ id: r.custom_id, error: why });
          }
        }
        return out;
      }),
  };
}

function geminiJobs(settings: LlmSettings, apiKey: string): BatchJobs {
  const secrets = [apiKey];
  const client = new (loadSdks().GoogleGenAI)({
    apiKey,
    vertexai: false,
    ...(settings.baseUrl ? { httpOptions: { baseUrl: settings.baseUrl } } : {}),
  });
  const STATE: Record<string, JobState> = {
    JOB_STATE_QUEUED: "pending",
    JOB_STATE_PENDING: "pending",
    JOB_STATE_RUNNING: "running",
    JOB_STATE_SUCCEEDED: "succeeded",
    JOB_STATE_PARTIALLY_SUCCEEDED: "succeeded",
    JOB_STATE_FAILED: "failed",
    JOB_STATE_CANCELLED: "cancelled",
    JOB_STATE_EXPIRED: "expired",
  };
  return {
    provider: "gemini",
    submit: (requests) =>
      mapped("gemini", secrets, async () => {
        const job = await client.batches.create({
          model: settings.model,
          src: requests.map((r) => ({
            contents: r.messages.map((m) => ({
              role: m.role === "assistant" ? "model" : "user",
              parts: [{ text: m.content }],
            })),
            metadata: { key: r.id },
            config: {
              ...(r.system ? { systemInstruction: r.system } : {}),
              maxOutputTokens: settings.maxTokens,
              temperature: settings.temperature,
            },
          })),
        });
        if (!job.name) throw new LlmError("malformed", "gemini: batch job has no name");
        return job.name;
      }),
    status: (jobId) =>
      mapped("gemini", secrets, async () => {
        const job = await client.batches.get({ name: jobId });
        const raw = String(job.state ?? "JOB_STATE_UNSPECIFIED");
        return { id: jobId, state: STATE[raw] ?? "running", raw };
      }),
    results: (jobId) =>
      mapped("gemini", secrets, async () => {
        const job = await client.batches.get({ name: jobId });
        const out: JobResult[] = [];
        for (const r of job.dest?.inlinedResponses ?? []) {
          const id = (r.metadata as { key?: unknown } | undefined)?.key;
          if (typeof id !== "string") continue;
          const parts = r.response?.candidates?.[0]?.content?.parts ?? [];
          const text = parts.flatMap((p) => (typeof p.text === "string" && !p.thought ? [p.text] : [])).join("");
          if (r.error || text === "") {
            out.push({ id, error: r.error?.message ?? "no text in the response" });
          } else {
            const u = r.response?.usageMetadata;
            out.push({ id, text, inputTokens: u?.promptTokenCount ?? 0, outputTokens: u?.candidatesTokenCount ?? 0 });
          }
        }
        return out;
      }),
  };
}

/** The batch API of the configured provider (OpenAI, OpenAI-compatible, Anthropic or Gemini). */
export function createBatchJobs(settings: LlmSettings, apiKey: string | undefined): BatchJobs {
  const need = (): string => {
    if (apiKey) return apiKey;
    throw new LlmError("config", `no API key for ${settings.provider} batch jobs`);
  };
  switch (settings.provider) {
    case "openai":
    case "openai-responses":
    case "openai-compatible":
      return openAiJobs(settings, settings.provider === "openai-compatible" ? apiKey : need());
    case "anthropic":
      return anthropicJobs(settings, need());
    case "gemini":
      return geminiJobs(settings, need());
    case "vscode-lm":
      throw new LlmError("config", "vscode-lm has no batch API; run without --batch");
  }
}

export interface PollOptions {
  intervalMs: number;
  /** Give up (and leave the job to a later recovery by id) after this long. */
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
  onStatus?: (s: JobStatus) => void;
}

/** Polls until the job reaches a terminal state; transient errors while polling are waited out. */
export async function waitForJob(jobs: BatchJobs, jobId: string, opts: PollOptions): Promise<JobStatus> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    try {
      const s = await jobs.status(jobId);
      opts.onStatus?.(s);
      if (TERMINAL_STATES.has(s.state)) return s;
    } catch (e) {
      if (!(e instanceof LlmError) || !e.retryable) throw e;
    }
    if (Date.now() + opts.intervalMs > deadline) {
      throw new LlmError("timeout", `${jobs.provider}: batch job ${jobId} not finished after ${opts.timeoutMs} ms`);
    }
    await sleep(opts.intervalMs);
  }
}
