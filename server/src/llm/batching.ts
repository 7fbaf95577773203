/**
 * A Provider that sends its completions through a provider batch job
 * (jobs.ts) instead of one request each: `qds convert --batch`. Calls that
 * arrive within `windowMs` of the first queued one (or until `maxBatch`
 * are queued) go out as one job; each call's promise settles when the job
 * is collected, with its own result mapped back by a per-call id. So the
 * convert loop (first round for many problems at once, then their repair
 * rounds) runs unchanged, with each round a batch at batch prices.
 *
 * A batch job takes minutes to hours: the per-attempt timeout of the
 * synchronous path does not apply here; `poll.timeoutMs` bounds the wait.
 * A job that fails, expires or is cancelled rejects all its calls with a
 * retryable `server` error; a row that failed inside the job rejects with
 * a `request` error (not retried, the problem is reported as an error).
 */
import { type BatchJobs, type JobRequest, type PollOptions, waitForJob } from "./jobs";
import type { CompletionRequest, CompletionResult, Provider } from "./types";
import { LlmError } from "./types";

export interface BatchingOptions {
  windowMs: number;
  maxBatch: number;
  poll: PollOptions;
  onJob?: (jobId: string, calls: number) => void;
}

interface Pending {
  req: JobRequest;
  resolve: (r: CompletionResult) => void;
  reject: (e: unknown) => void;
}

export function createBatchingProvider(jobs: BatchJobs, opts: BatchingOptions): Provider {
  let queue: Pending[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let next = 0;

  const flush = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      const jobId = await jobs.submit(batch.map((p) => p.req));
      opts.onJob?.(jobId, batch.length);
      const status = await waitForJob(jobs, jobId, opts.poll);
      if (status.state !== "succeeded") {
        throw new LlmError("server", `${jobs.provider}: batch job ${jobId} ended ${status.raw}`);
      }
      const results = new Map((await jobs.results(jobId)).map((r) => [r.id, r]));
      for (const p of batch) {
        const r = results.get(p.req.id);
        if (!r) p.reject(new LlmError("server", `${jobs.provider}: batch job ${jobId} has no result for ${p.req.id}`));
        else if ("error" in r) p.reject(new LlmError("request", `${jobs.provider}: ${r.error}`));
        else
          p.resolve({
            text: r.text,
            usage: { inputTokens: r.inputTokens, outputTokens: r.outputTokens },
            model: "",
            finishReason: "stop",
          });
      }
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  };

  return {
    name: jobs.provider,
    complete: (req: CompletionRequest) =>
      new Promise<CompletionResult>((resolve, reject) => {
        const id = `c${next++}`;
        queue.push({
          req: { id, messages: req.messages, ...(req.system === undefined ? {} : { system: req.system }) },
          resolve,
          reject,
        });
        if (queue.length >= opts.maxBatch) void flush();
        else if (!timer) timer = setTimeout(() => void flush(), opts.windowMs);
      }),
  };
}
