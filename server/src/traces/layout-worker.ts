/**
 * Worker-thread entry (bundled as dist/layoutworker.js) for layout.ts:
 * computes one UMAP layout from workerData and posts it back.
 */
import { parentPort, threadId, workerData } from "node:worker_threads";
import { type LayoutDone, type LayoutJob, umapLayout } from "./layout";

const job = workerData as LayoutJob;
const xy = umapLayout({ data: job.data, rows: job.rows, dims: job.dims, singularValues: [] }, job.params);
const done: LayoutDone = { xy, threadId };
parentPort?.postMessage(done, [xy.buffer as ArrayBuffer]);
