/**
 * Platform facts the go command applies when loading packages (Go's internal/platform): some
 * targets can only be linked by the external (C) linker, so their main packages need cgo.
 */

/** internal/platform.MustLinkExternal for a binary without cgo dependencies. */
function mustLinkExternal(goos: string, goarch: string): boolean {
  if (goos === 'android') return goarch !== 'arm64';
  if (goos === 'ios') return goarch === 'arm64';
  return false;
}

function defaultPIE(goos: string): boolean {
  // Windows builds PIE by default too, except with -race (which gob passes through flags).
  return goos === 'android' || goos === 'ios' || goos === 'darwin' || goos === 'windows';
}

function internalLinkPIESupported(goos: string, goarch: string): boolean {
  return [
    'android/arm64',
    'darwin/amd64',
    'darwin/arm64',
    'linux/amd64',
    'linux/arm64',
    'linux/loong64',
    'linux/ppc64le',
    'windows/386',
    'windows/amd64',
    'windows/arm64',
  ].includes(`${goos}/${goarch}`);
}

/**
 * Why linking a main package for goos/goarch needs the external linker in the default build
 * mode, or undefined when the internal linker works. (cmd/go's externalLinkingReason, without
 * the parts decided by flags: -buildmode, -linkshared, -ldflags=-linkmode=external.)
 */
export function externalLinkingReason(goos: string, goarch: string): string | undefined {
  if (mustLinkExternal(goos, goarch)) return `${goos}/${goarch}`;
  if (defaultPIE(goos) && !internalLinkPIESupported(goos, goarch)) return 'default PIE binary';
  return undefined;
}
