/**
 * The Ink TUI. Import it only when it is used (`await import('@gob/ui/tui')`): it pulls in Ink and
 * React, which the plain and JSON reporters — and `@gob/ui` itself — never load.
 */
export { createTuiReporter, type TuiReporterOptions } from './tui-reporter.js';
export { foldEvents, initialState, reduce, type TuiState, type StaticItem } from './store.js';
