/**
 * The version of what `GO_HEADER_DERIVE` (hasher-io.ts) computes from a Go file: bump it whenever
 * the header parser's output could change for the same content. Apart from hasher-io.ts so that
 * checking a plan snapshot, which must know it, does not load the parser.
 */
export const GO_HEADER_DERIVE_VERSION = 'gob-go-header-3';
