/**
 * The controlled environment of every go command gob runs (DESIGN §5).
 *
 * A child `go` sees exactly: the variables gob sets (hashed into the key), the workspace/profile/
 * target `env` (hashed), and a short pass-through allow-list of variables that locate things or
 * reach the network but cannot change what is built (not hashed). Nothing else in the user's
 * environment reaches go. Values that go reads from its own config file (`go env -w`) are
 * captured by probing `go env -json` with this environment and hashing the effective values of
 * {@link OUTPUT_AFFECTING_GO_ENV}.
 */

/** Passed through from gob's environment when set; never part of a key. */
export const PASSTHROUGH_ENV: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'TMPDIR',
  'GOPATH',
  'GOCACHE',
  'GOMODCACHE',
  'GOENV',
  'GOPROXY',
  'GONOPROXY',
  'GOPRIVATE',
  'GONOSUMDB',
  'GONOSUMCHECK',
  'GOSUMDB',
  'GOINSECURE',
  'GOVCS',
  'GOAUTH',
  'GOTELEMETRY',
  'GIT_SSH_COMMAND',
  'GIT_CONFIG_GLOBAL',
  'SSH_AUTH_SOCK',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NETRC',
];

/**
 * Effective `go env` values that change what go produces. Their values after probing are part
 * of every key, wherever they came from (gob.yaml, go's config file, GOROOT/go.env).
 */
export const OUTPUT_AFFECTING_GO_ENV: readonly string[] = [
  'GOVERSION',
  'GOOS',
  'GOARCH',
  'GOFLAGS',
  'GOEXPERIMENT',
  'GOFIPS140',
  'CGO_ENABLED',
  'GOAMD64',
  'GOARM',
  'GOARM64',
  'GO386',
  'GOMIPS',
  'GOMIPS64',
  'GOPPC64',
  'GORISCV64',
  'GOWASM',
];

/** With cgo on, the C toolchain settings matter too. */
export const CGO_GO_ENV: readonly string[] = [
  'CC',
  'CXX',
  'CGO_CFLAGS',
  'CGO_CPPFLAGS',
  'CGO_CXXFLAGS',
  'CGO_FFLAGS',
  'CGO_LDFLAGS',
  'PKG_CONFIG',
];

export function pickPassthrough(from: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASSTHROUGH_ENV) {
    const v = from[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}
