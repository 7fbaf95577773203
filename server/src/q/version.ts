/** Identifies the embedded engine in diagnostics, verification caches and the status bar. */
export const ENGINE_NAME = "qds-embedded";
/** Bump when a change can alter what any q program displays: it invalidates verification caches. */
export const ENGINE_VERSION = "0.1.0";
