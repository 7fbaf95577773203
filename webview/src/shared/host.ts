/**
 * The page's side of a panel: typed postMessage to the extension host, typed
 * messages from it, and state that survives the tab being hidden. State is
 * timestamped (`savedAt`): the host may hand a copy back after a reload (its
 * panel serializer), and the page keeps whichever copy is newer.
 */
declare function acquireVsCodeApi(): {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
};

export interface Host<ToHost, ToPage> {
  post(message: ToHost): void;
  onMessage(handler: (message: ToPage) => void): void;
  /** The saved state, or undefined. */
  loadState<S extends { savedAt: number }>(): S | undefined;
  saveState<S extends { savedAt: number }>(state: S): void;
}

/** acquireVsCodeApi may be called once per page, so every caller shares this one. */
let api: ReturnType<typeof acquireVsCodeApi> | undefined;

export function connect<ToHost, ToPage>(): Host<ToHost, ToPage> {
  api ??= acquireVsCodeApi();
  const vscode = api;
  return {
    post: (message) => vscode.postMessage(message),
    onMessage: (handler) => window.addEventListener("message", (e: MessageEvent) => handler(e.data as ToPage)),
    loadState: <S extends { savedAt: number }>() => {
      const s = vscode.getState() as S | undefined;
      return s !== undefined && s !== null && typeof s.savedAt === "number" ? s : undefined;
    },
    saveState: (state) => vscode.setState(state),
  };
}

/** The newer of two timestamped states (either may be missing). */
export function newer<S extends { savedAt: number }>(a: S | undefined, b: S | undefined): S | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.savedAt > a.savedAt ? b : a;
}
