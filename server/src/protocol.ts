/**
 * Every custom request and notification exchanged between the extension
 * client, the language server and the webview, in one place (the analogue of
 * rust-analyzer's lsp_ext.ts). Method names are namespaced `qds/…`.
 *
 * This module must stay free of `vscode` and of any runtime dependency other
 * than the protocol type constructors, so the webview bundle can import the
 * message types too.
 */
import { NotificationType, RequestType, RequestType0 } from "vscode-languageserver-protocol";

/** Sent once by the server after `initialized`, when every handler is registered. */
export interface ServerReadyParams {
  /** Engine name and version, e.g. "qds-embedded 0.1.0". */
  engine: string;
}
export const serverReady = new NotificationType<ServerReadyParams>("qds/serverReady");

/** Evaluate q source text in a fresh sandboxed engine session and return the console display. */
export interface EvaluateParams {
  text: string;
}
export interface EvaluateResult {
  /** What the q console would show: result display plus anything written to stdout. */
  output: string;
  /** q error name (without the leading quote) when evaluation signalled. */
  error?: string;
}
export const evaluate = new RequestType<EvaluateParams, EvaluateResult, void>("qds/evaluate");

/** Engine identification, used by the status bar and `qds.showEngineInfo`. */
export interface EngineInfoResult {
  engine: string;
  version: string;
}
export const engineInfo = new RequestType0<EngineInfoResult, void>("qds/engineInfo");

// ---- datasets and tests (explorer, Test Explorer, CodeLens) ----

/**
 * A problem's status in the editor: dataset/load.ts's statuses (from the
 * verification cache) plus "invalid", a folder that `qds validate` finds
 * errors in (lsp/dataset.ts runs the same checks). Listed in display order.
 */
export const PROBLEM_STATUSES = ["invalid", "no_q", "untested", "valid", "failing", "error"] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
export type VerifiedProblemStatus = Exclude<ProblemStatus, "invalid">;
export const zeroCounts = (): Record<ProblemStatus, number> =>
  Object.fromEntries(PROBLEM_STATUSES.map((s) => [s, 0])) as Record<ProblemStatus, number>;

/** Find datasets: `configured` folders as given, plus any folder up to 3 levels under `roots` whose sub-folders hold entry.json. */
export interface DatasetsParams {
  roots: string[];
  configured: string[];
}
export interface DatasetSummary {
  dir: string;
  name: string;
  counts: Record<ProblemStatus, number>;
}
export const datasets = new RequestType<DatasetsParams, DatasetSummary[], void>("qds/datasets");

/** One test case as last verified (from the verification cache). */
export interface TestState {
  n: number;
  status: "pass" | "fail" | "error" | "unknown";
  reason?: string;
}
export interface ProblemInfo {
  name: string;
  dir: string;
  /** entry.json title, or the folder name. */
  title: string;
  difficulty?: string;
  tags: string[];
  status: ProblemStatus;
  /** Why the problem is invalid (its first `qds validate` error), or why the last verification was not valid. */
  reason?: string;
  files: string[];
  tests: TestState[];
}

export interface ProblemsParams {
  dataset: string;
}
export const problems = new RequestType<ProblemsParams, ProblemInfo[], void>("qds/problems");

/** One problem folder reloaded (after a file in it changed), without reloading the dataset. */
export interface ProblemParams {
  dataset: string;
  name: string;
}
export const problem = new RequestType<ProblemParams, ProblemInfo | null, void>("qds/problem");

/**
 * Verify problems of one dataset through verify/verify.ts (what `qds verify`
 * runs). `problems` absent = all. Cancelling the request stops the run after
 * the problems in flight. Results stream as `qds/testProgress`, tagged `runId`.
 */
export interface RunTestsParams {
  runId: string;
  dataset: string;
  problems?: string[];
  /** Re-run even when the cache says the files are unchanged. */
  force: boolean;
}
export interface TestCaseResult {
  n: number;
  kind: "q" | "python";
  status: "pass" | "fail" | "error";
  expected: string;
  actual?: string;
  reason?: string;
}
export interface ProblemRunResult {
  name: string;
  status: ProblemStatus;
  reason?: string;
  tests: TestCaseResult[];
  cached: boolean;
  ms: number;
}
export interface RunTestsResult {
  /** External q path or the embedded engine's id, as recorded in the cache. */
  engine: string;
  problems: ProblemRunResult[];
  cancelled: boolean;
  elapsedMs: number;
}
export const runTests = new RequestType<RunTestsParams, RunTestsResult, void>("qds/runTests");

export interface TestProgressParams {
  runId: string;
  dataset: string;
  result: ProblemRunResult;
  done: number;
  total: number;
}
export const testProgress = new NotificationType<TestProgressParams>("qds/testProgress");

/** Which q runtime verification and the REPL use: the embedded engine, or `qds.q.path` and what it reports. */
export interface RuntimeInfoResult {
  kind: "embedded" | "external";
  /** Engine id, or the external path. */
  name: string;
  /** Version text; for an external q, what `.z.K`/`.z.k` printed, or why it could not be read. */
  version: string;
}
export const runtimeInfo = new RequestType0<RuntimeInfoResult, void>("qds/runtimeInfo");

// ---- LLM conversion and repair (server/src/lsp/llm.ts, client/src/llm.ts) ----

/**
 * What a single-problem conversion does:
 *   solution  Python solution → sol.q (existing q tests kept, missing ones converted)
 *   tests     missing q tests (all of them when none is missing) from the Python tests
 *   fix       repair the existing sol.q against its failing tests
 */
export type ConvertMode = "solution" | "tests" | "fix";

/**
 * Convert or repair one problem folder. Nothing is written to the folder: the
 * files the run would write come back as proposals for the user to accept.
 * Settings are read from `qds.llm.*`. No request carries an API key: a traced
 * connection prints every message, so the client hands keys to the server
 * process in its environment (OPENAI_API_KEY and the like) when it starts it.
 */
export interface ConvertProblemParams {
  dir: string;
  mode: ConvertMode;
}
export interface FileProposal {
  /** File name inside the problem folder, e.g. "sol.q". */
  file: string;
  path: string;
  /** The file's current text; null when it does not exist. */
  original: string | null;
  proposed: string;
}
export interface ConvertProblemResult {
  name: string;
  /** converted = every test passed with the proposal. */
  status: "converted" | "failing" | "error";
  rounds: number;
  calls: number;
  reason?: string;
  proposals: FileProposal[];
}
export const convertProblem = new RequestType<ConvertProblemParams, ConvertProblemResult, void>("qds/convertProblem");

/**
 * Convert a whole dataset, writing as `qds convert` does and resumable the
 * same way (the run log under <dataset>/.qds/runs; the same arguments skip
 * finished problems). Cancelling the request stops the batch. Progress
 * streams as `qds/convertProgress`, tagged `runId`.
 */
export interface ConvertDatasetParams {
  runId: string;
  dataset: string;
  only?: "missing" | "failing";
}
export interface ConvertDatasetResult {
  converted: number;
  failing: number;
  error: number;
  /** Finished by an earlier run with the same arguments. */
  skipped: number;
  cancelled: boolean;
  log: string;
}
export const convertDataset = new RequestType<ConvertDatasetParams, ConvertDatasetResult, void>("qds/convertDataset");

export interface ConvertProgressParams {
  runId: string;
  name: string;
  status: "converted" | "failing" | "error";
  reason?: string;
  done: number;
  total: number;
}
export const convertProgress = new NotificationType<ConvertProgressParams>("qds/convertProgress");

/** Server → client: one chat completion from VS Code's Language Model API (`qds.llm.provider` = vscode-lm). */
export interface LmCompleteParams {
  system?: string;
  messages: { role: "user" | "assistant"; content: string }[];
  /** `qds.llm.model`: preferred model id or family; any available model otherwise. */
  model: string;
}
export interface LmCompleteResult {
  text: string;
  /** The model that answered. */
  model: string;
}
export const lmComplete = new RequestType<LmCompleteParams, LmCompleteResult, void>("qds/lmComplete");

// ---- model evaluation (server/src/lsp/eval.ts, client/src/eval.ts) ----

/**
 * Evaluate a model on a dataset, as `qds eval` does: from the editor's
 * configured provider (`qds.llm.*`), or from a JSONL of completions. Results
 * go to `outDir` (default `<dataset>/.qds/eval/<model>-n<N>`; the same folder
 * resumes). Cancelling stops new samples; progress streams as
 * `qds/evalProgress`, tagged `runId`.
 */
export interface EvalDatasetParams {
  runId: string;
  dataset: string;
  n: number;
  k: number[];
  completions?: string;
  outDir?: string;
}
export interface EvalDatasetResult {
  outDir: string;
  /** pass@k by k, with the 95% interval. */
  passAtK: Record<string, { value: number; ci: [number, number] }>;
  problems: number;
  samples: number;
  incomplete: number;
  cancelled: boolean;
}
export const evalDataset = new RequestType<EvalDatasetParams, EvalDatasetResult, void>("qds/evalDataset");

export interface EvalProgressParams {
  runId: string;
  done: number;
  total: number;
  passed: number;
  etaMs?: number;
}
export const evalProgress = new NotificationType<EvalProgressParams>("qds/evalProgress");

// ---- editor rough edges (p15) ----

/**
 * Error code of a conversion request refused because the provider needs an
 * API key and none is set; `data` names the provider, so the client can
 * offer "Set API Key" instead of showing the error text.
 */
export const NO_API_KEY = -32001;
export interface NoApiKeyData {
  provider: string;
}

// ---- webviews: Steering Explorer and dataset overview (client/src/webviews, webview/src) ----
// Messages between a panel's host side and its page. The page imports these
// as types only (webview/tsconfig.json fences it to this module), so the
// `type` literals below are the constants both ends are checked against.

/** One steering section per index; parallel typed arrays so 100k points cross as raw binary. */
export interface SteeringSections {
  x: Float32Array;
  y: Float32Array;
  /** Index into SteeringView.clusters. */
  cluster: Uint16Array;
  /** Index into SteeringView.rows. */
  row: Uint32Array;
  text: string[];
}
export interface SteeringCluster {
  name: string;
  /** Second-pass cluster (family) the fine cluster belongs to, when the analysis made one. */
  family?: string;
  size: number;
  /** A few member sections nearest the centre. */
  examples: string[];
  /** Sections per source (a row's dataset source field), in the order of SteeringView.sources. */
  bySource: number[];
}
export interface SteeringRow {
  id: string;
  /** Index into SteeringView.sources. */
  source: number;
  thinkTokens: number;
  /** True: counted with the model's tokenizer by the analysis; false: a whitespace estimate. */
  exactTokens: boolean;
  steering: number;
}
/** Everything the Steering Explorer draws, sent once when the panel opens. */
export interface SteeringView {
  /** The analysed run folder (absolute path). */
  run: string;
  sources: string[];
  clusters: SteeringCluster[];
  rows: SteeringRow[];
  sections: SteeringSections;
  /** Second-pass groups of clusters (indices into clusters), for the legend; absent when the analysis made none. */
  families?: { name: string; clusters: number[] }[];
}
/** One row's think block: the original beside the rewrite split into its sections. */
export interface SteeringRowDetail {
  index: number;
  id: string;
  original: string;
  segments: { kind: "steer" | "exec" | "other"; text: string }[];
}
/** What the page keeps across hide/restore (webview getState) and the host across reloads (serializer). */
export interface SteeringUiState {
  /** Date.now() when saved: the newer of the host's copy and the page's copy wins. */
  savedAt: number;
  /** The run folder shown, so a restored panel (serializer) knows what to load. */
  run: string;
  hiddenClusters: number[];
  search: string;
  sort: SteeringSort;
  view?: { cx: number; cy: number; scale: number };
}
export type SteeringSort = "dataset" | "ratioAsc" | "ratioDesc" | "steering";

export type SteeringToPage =
  | { type: "steering/view"; view: SteeringView; ui?: SteeringUiState }
  | { type: "steering/row"; detail: SteeringRowDetail }
  | { type: "steering/exported"; file: string; rows: number }
  /** The sections nearest `section` in the analysis's embedding, nearest first (empty when it has none). */
  | { type: "steering/similar"; section: number; neighbours: number[] }
  | { type: "steering/error"; message: string };
export type SteeringToHost =
  | { type: "steering/ready" }
  /** After the first paint of a view: what it drew (the integration test reads it). */
  | { type: "steering/rendered"; points: number; clusters: number; rows: number; ms: number }
  | { type: "steering/openRow"; index: number }
  /** Ask for the sections most similar to one (index into SteeringView.sections). */
  | { type: "steering/similar"; section: number }
  /** Write these sections (indices into SteeringView.sections) to a file the user picks. */
  | { type: "steering/export"; sections: number[] }
  | { type: "steering/state"; ui: SteeringUiState };

/** One line of `<dataset>/.qds/history.jsonl`, appended by every whole-dataset verify run. */
export interface VerifyHistoryEntry {
  /** ISO time the run finished. */
  time: string;
  engine: string;
  /** Statuses as the run left them ("invalid" is the editor's, from `qds validate`, not a verification result). */
  counts: Record<VerifiedProblemStatus, number>;
  /** valid ÷ problems that have q (no_q left out); null when none has q. */
  passRate: number | null;
}
export interface DatasetOverview {
  dir: string;
  name: string;
  total: number;
  byStatus: Record<ProblemStatus, number>;
  /** Difficulty and tag counts, most frequent first; "(none)" for problems without one. */
  byDifficulty: [string, number][];
  byTag: [string, number][];
  history: VerifyHistoryEntry[];
}
export type OverviewToPage = { type: "overview/data"; overview: DatasetOverview };
/** What the overview page saves (getState), so a restored panel knows its dataset. */
export interface OverviewUiState {
  savedAt: number;
  dir: string;
}
export type OverviewToHost =
  | { type: "overview/ready" }
  /** After each render: what the page shows (problems per status read back from its bars; runs charted). */
  | { type: "overview/rendered"; total: number; runs: number; byStatus: Partial<Record<ProblemStatus, number>> }
  | { type: "overview/refresh" };
