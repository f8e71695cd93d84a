/**
 * The GOOS and GOARCH values gob accepts in `platforms`. A short list kept by hand (from
 * `go tool dist list`); it only catches typos early, the toolchain has the last word on which
 * pairs it supports.
 */
import type { Platform } from '../types.js';
import { closest } from '../labels/suggest.js';

export const KNOWN_GOOS: readonly string[] = [
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'illumos', 'ios', 'js', 'linux', 'netbsd', 'openbsd',
  'plan9', 'solaris', 'wasip1', 'windows',
];

export const KNOWN_GOARCH: readonly string[] = [
  '386', 'amd64', 'arm', 'arm64', 'loong64', 'mips', 'mips64', 'mips64le', 'mipsle', 'ppc64', 'ppc64le',
  'riscv64', 's390x', 'wasm',
];

export type PlatformCheck =
  | { readonly ok: true; readonly platform: Platform }
  | { readonly ok: false; readonly reason: string; readonly suggestion: string | undefined };

/** Parses `os/arch`, checking both halves against the known lists. */
export function checkPlatform(text: string): PlatformCheck {
  const parts = text.split('/');
  const [goos, goarch] = parts;
  if (parts.length !== 2 || goos === undefined || goarch === undefined || goos === '' || goarch === '') {
    return { ok: false, reason: `"${text}" is not written as os/arch`, suggestion: undefined };
  }
  const osOk = KNOWN_GOOS.includes(goos);
  const archOk = KNOWN_GOARCH.includes(goarch);
  if (osOk && archOk) return { ok: true, platform: { goos, goarch } };
  const os = osOk ? goos : closest(goos, KNOWN_GOOS, { max: 1 })[0];
  const arch = archOk ? goarch : closest(goarch, KNOWN_GOARCH, { max: 1 })[0];
  const suggestion = os !== undefined && arch !== undefined ? `${os}/${arch}` : undefined;
  const reason = !osOk
    ? `unknown GOOS "${goos}"${archOk ? '' : ` and unknown GOARCH "${goarch}"`}`
    : `unknown GOARCH "${goarch}"`;
  return { ok: false, reason, suggestion };
}
