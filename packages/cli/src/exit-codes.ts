/** gob's exit codes (docs/cli.md). */
export const EXIT_OK = 0;
/** A build or test failed. */
export const EXIT_FAILED = 1;
/** Bad usage or configuration. */
export const EXIT_USAGE = 2;
/** Interrupted (Ctrl-C). */
export const EXIT_INTERRUPTED = 130;
