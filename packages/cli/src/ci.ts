/**
 * Whether gob runs in CI: `CI` or `CONTINUOUS_INTEGRATION` set to anything but `0` or `false`
 * (the test Ink applies to itself, is-in-ci). In CI, `--ui auto` draws no TUI and `gob build`
 * starts no gob server. Kept apart so that the server client can ask without loading the rest.
 */
export function inCi(env: Readonly<Record<string, string | undefined>>): boolean {
  return isSet(env['CI']) || isSet(env['CONTINUOUS_INTEGRATION']);
}

function isSet(v: string | undefined): boolean {
  return v !== undefined && v !== '0' && v !== 'false';
}
