import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { archLevelVariable, buildContextFromGoEnv, probeGoEnv, type RunCommand } from './toolchain.js';
import { goEnvFor } from './testing/golist.js';

const env = (over: Record<string, string> = {}) => ({ ...goEnvFor({ name: '', goos: 'linux', goarch: 'amd64', cgo: true }, 'off'), ...over });

describe('probeGoEnv', () => {
  it('returns the typed go env plus the toolchain’s tags', async () => {
    const r = await probeGoEnv({ cwd: os.tmpdir(), env: env({ GOAMD64: 'v2' }) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const g = r.value;
    expect(g.GOVERSION).toMatch(/^go1\.\d+/);
    expect(g.GOOS).toBe('linux');
    expect(g.GOARCH).toBe('amd64');
    expect(g.cgoEnabled).toBe(true);
    expect(g.GOTOOLCHAIN).toBe('local');
    expect(g.archLevelVar).toBe('GOAMD64');
    expect(g.archLevel).toBe('v2');
    expect(g.GOROOT).not.toBe('');
    expect(g.raw.GOVERSION).toBe(g.GOVERSION);
    expect(g.toolTags).toContain('amd64.v2');
    expect(g.releaseTags?.at(-1)).toBe(g.GOVERSION.replace(/^(go1\.\d+).*/, '$1'));
    // Baseline experiments are on without GOEXPERIMENT saying so.
    expect(g.GOEXPERIMENT).toBe('');
    expect(g.experiments.length).toBeGreaterThan(0);
    const ctx = buildContextFromGoEnv(g, ['netgo']);
    expect(ctx).toMatchObject({ goos: 'linux', goarch: 'amd64', cgoEnabled: true, archLevel: 'v2', tags: ['netgo'], compiler: 'gc' });
  });

  it('follows the environment it is given (cross-compiling, experiments)', async () => {
    const r = await probeGoEnv({ cwd: os.tmpdir(), env: env({ GOOS: 'darwin', GOARCH: 'arm64', CGO_ENABLED: '0', GOEXPERIMENT: 'boringcrypto' }) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.GOOS).toBe('darwin');
    expect(r.value.GOHOSTOS).toBe(process.platform === 'darwin' ? 'darwin' : 'linux');
    expect(r.value.archLevelVar).toBe('GOARM64');
    expect(r.value.archLevel).toBe('v8.0');
    expect(r.value.cgoEnabled).toBe(false);
    expect(r.value.experiments).toContain('boringcrypto');
  });

  it('reports a missing go binary', async () => {
    const r = await probeGoEnv({ goBin: '/nonexistent/go', cwd: os.tmpdir(), env: env() });
    expect(r).toMatchObject({ ok: false, error: { reason: 'go-not-found', goBin: '/nonexistent/go' } });
  });

  it('reports go env failures with stderr', async () => {
    const r = await probeGoEnv({ cwd: os.tmpdir(), env: env({ GOOS: 'bogus' }) });
    expect(r.ok).toBe(false);
    if (!r.ok && r.error.reason === 'go-env-failed') expect(r.error.stderr).toContain('bogus');
    else expect.unreachable();
  });

  it('reports unparseable output, and falls back to GOEXPERIMENT without the tag probe', async () => {
    const garbage: RunCommand = () => Promise.resolve({ exitCode: 0, stdout: 'not json', stderr: '' });
    expect(await probeGoEnv({ cwd: '/', env: {}, run: garbage })).toMatchObject({ ok: false, error: { reason: 'go-env-unparseable' } });
    const fake: RunCommand = () =>
      Promise.resolve({ exitCode: 0, stdout: JSON.stringify({ GOOS: 'linux', GOARCH: 'arm', GOARM: '6', GOEXPERIMENT: 'arenas,nofoo', GOVERSION: 'go1.26.8' }), stderr: '' });
    const r = await probeGoEnv({ cwd: '/', env: {}, run: fake, probeTags: false });
    expect(r.ok && [r.value.archLevelVar, r.value.archLevel, r.value.experiments, r.value.toolTags]).toEqual(['GOARM', '6', ['arenas'], undefined]);
  });
});

describe('archLevelVariable', () => {
  it.each([
    ['amd64', 'GOAMD64'],
    ['arm', 'GOARM'],
    ['arm64', 'GOARM64'],
    ['386', 'GO386'],
    ['mips', 'GOMIPS'],
    ['mipsle', 'GOMIPS'],
    ['mips64le', 'GOMIPS64'],
    ['ppc64le', 'GOPPC64'],
    ['riscv64', 'GORISCV64'],
    ['wasm', 'GOWASM'],
    ['s390x', undefined],
    ['loong64', undefined],
  ])('%s → %s', (arch, v) => {
    expect(archLevelVariable(arch)).toBe(v);
  });
});
