import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActionFinishedEvent, Diagnostic, StampedEvent } from '@gob/core';
import { escapeData, escapeProperty, GithubReporter, parseCompilerErrors, workflowCommand, type GithubReporterOptions } from './github.js';
import { PlainReporter } from './plain.js';

/**
 * The GitHub Actions reporter on event streams recorded from the real gob on a copy of
 * examples/monorepo (see fixtures/README.md), whose absolute paths say /WORKSPACE.
 */

const FIXTURES = new URL('./fixtures/', import.meta.url);

/** Loads a recorded stream, with the workspace moved to `workspace`. */
function load(name: string, workspace = '/WORKSPACE'): StampedEvent[] {
  return fs
    .readFileSync(fileURLToPath(new URL(name, FIXTURES)), 'utf8')
    .replaceAll('/WORKSPACE', workspace)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StampedEvent);
}

/** Every action takes 1.5s and the build 9s. */
function fixedDurations(events: readonly StampedEvent[]): StampedEvent[] {
  return events.map((e) => {
    if (e.type === 'action.finished') return { ...e, durationMs: e.status === 'skipped' ? 0 : 1500 };
    if (e.type === 'build.finished') return { ...e, durationMs: 9000 };
    return e;
  });
}

interface Run {
  out: string;
  err: string;
  /** out and err interleaved as written, for order checks. */
  both: string;
}

async function run(events: readonly StampedEvent[], opts: Partial<GithubReporterOptions> = {}): Promise<Run> {
  const r: Run = { out: '', err: '', both: '' };
  const reporter = new GithubReporter({
    out: {
      write: (t) => {
        r.out += t;
        r.both += t;
      },
    },
    err: {
      write: (t) => {
        r.err += t;
        r.both += t;
      },
    },
    repoRoot: '/WORKSPACE',
    workspaceRoot: '/WORKSPACE',
    showOutputs: true,
    ...opts,
  });
  for (const e of events) reporter.onEvent(e);
  await reporter.close();
  return r;
}

function runPlain(events: readonly StampedEvent[], source?: (file: string) => string | undefined): { out: string; err: string } {
  const r = { out: '', err: '' };
  const p = new PlainReporter({ out: { write: (t) => (r.out += t) }, err: { write: (t) => (r.err += t) }, source, showOutputs: true });
  for (const e of events) p.onEvent(e);
  return r;
}

const lines = (text: string, prefix: string): string[] => text.split('\n').filter((l) => l.startsWith(prefix));

const MONEY_LOG = '# example.com/acme/libs/money\nlibs/money/money.go:39:70: cannot use "0" (untyped string constant) as int64 value in struct literal\n';
const MONEY_ANNOTATION = '::error file=libs/money/money.go,line=39,col=70::cannot use "0" (untyped string constant) as int64 value in struct literal';
const PAYMENT_ANNOTATIONS = [
  '::error file=services/payment/main.go,line=18,col=19::cannot use "dev" (untyped string constant) as int value in variable declaration',
  '::error file=services/payment/handlers.go,line=48,col=2::declared and not used: s',
  '::error file=services/payment/handlers.go,line=48,col=7::undefined: fmt',
  '::error file=services/payment/handlers.go,line=54,col=53::cannot use version (variable of type int) as string value in argument to httpx.Health',
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gob-github-test-'));
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});
let summaries = 0;
const summaryPath = (): string => path.join(tmp, `summary-${++summaries}.md`);

describe('GithubReporter: everything plain prints', () => {
  for (const name of ['success.jsonl', 'failure.jsonl', 'failure-stop.jsonl', 'failure-payment.jsonl', 'config-error.jsonl']) {
    it(`${name}: the same stdout, and stderr is plain's plus workflow commands`, async () => {
      const events = load(name);
      const source = (f: string): string | undefined => (f === 'services/payment/BUILD.yaml' ? 'targets:\n  payment:\n    kind: go_binary\n    pakage: ./cmd\n' : undefined);
      const gh = await run(events, { source });
      const plain = runPlain(events, source);
      expect(gh.out).toBe(plain.out);
      expect(
        gh.err
          .split('\n')
          .filter((l) => !l.startsWith('::'))
          .join('\n'),
      ).toBe(plain.err);
    });
  }
});

describe('GithubReporter: failed actions', () => {
  it('folds each failure log in a group, after the FAILED line, followed by its annotations', async () => {
    const r = await run(fixedDurations(load('failure.jsonl')), { showOutputs: false });
    expect(r.err).toBe(
      [
        '::group::FAILED //services/orders:orders (linux/amd64)',
        MONEY_LOG.trimEnd(),
        '::endgroup::',
        MONEY_ANNOTATION,
        '::group::FAILED //services/payment:payment (linux/amd64)',
        MONEY_LOG.trimEnd(),
        '::endgroup::',
        '::group::FAILED //tools/acmectl:acmectl (linux/amd64)',
        MONEY_LOG.trimEnd(),
        '::endgroup::',
        '',
      ].join('\n'),
    );
    // In one stream the FAILED line comes first, outside the group.
    expect(r.both).toContain(
      `FAILED  //services/orders:orders (linux/amd64) 1.5s: go build exited with code 1\n::group::FAILED //services/orders:orders (linux/amd64)\n${MONEY_LOG}::endgroup::\n${MONEY_ANNOTATION}\nFAILED  //services/payment:payment`,
    );
  });

  it('annotates a library error once, with its path relative to the repository root (repoRoot = workspace)', async () => {
    const r = await run(load('failure.jsonl'));
    // Three binaries fail on the same line of libs/money: one annotation.
    expect(lines(r.err, '::error')).toEqual([MONEY_ANNOTATION]);
  });

  it('annotates each error in the binary\'s own package (./main.go as go prints it)', async () => {
    const r = await run(load('failure-payment.jsonl'));
    expect(lines(r.err, '::error')).toEqual(PAYMENT_ANNOTATIONS);
    expect(lines(r.err, '::group::')).toEqual(['::group::FAILED //services/payment:payment (linux/amd64)']);
  });

  it('makes paths relative to a repository root above the workspace', async () => {
    const ws = '/home/runner/work/acme/acme/go';
    const repoRoot = '/home/runner/work/acme/acme';
    const money = await run(load('failure.jsonl', ws), { repoRoot, workspaceRoot: ws });
    expect(lines(money.err, '::error')).toEqual([MONEY_ANNOTATION.replace('file=libs/', 'file=go/libs/')]);
    const payment = await run(load('failure-payment.jsonl', ws), { repoRoot, workspaceRoot: ws });
    expect(lines(payment.err, '::error')).toEqual(PAYMENT_ANNOTATIONS.map((a) => a.replace('file=services/', 'file=go/services/')));
    // A trailing separator on the root changes nothing.
    const slash = await run(load('failure-payment.jsonl', ws), { repoRoot: `${repoRoot}/`, workspaceRoot: `${ws}/` });
    expect(lines(slash.err, '::error')).toEqual(lines(payment.err, '::error'));
  });

  it('uses each action\'s own cwd: the same relative path from two packages is two files', async () => {
    const events = [
      ...failedAction('//a:a', '/WORKSPACE/a', './main.go:1:2: undefined: x\n'),
      ...failedAction('//b:b', '/WORKSPACE/b/cmd', './main.go:1:2: undefined: x\n'),
    ];
    const r = await run(events);
    expect(lines(r.err, '::error')).toEqual(['::error file=a/main.go,line=1,col=2::undefined: x', '::error file=b/cmd/main.go,line=1,col=2::undefined: x']);
  });

  it('absolute paths: inside the repository made relative, outside it named in the message', async () => {
    const r = await run(
      failedAction(
        '//svc:svc',
        '/WORKSPACE/svc',
        [
          '# example.com/acme/libs/money',
          '/WORKSPACE/libs/money/money.go:12:3: undefined: Foo',
          '# example.com/dep',
          '/root/go/pkg/mod/example.com/dep@v1.2.0/dep.go:7:1: syntax error: unexpected }',
          '',
        ].join('\n'),
      ),
      { repoRoot: '/WORKSPACE' },
    );
    expect(lines(r.err, '::error')).toEqual([
      '::error file=libs/money/money.go,line=12,col=3::undefined: Foo',
      '::error::/root/go/pkg/mod/example.com/dep@v1.2.0/dep.go:7:1: syntax error: unexpected }',
    ]);
  });

  it('a repository root reached through a symlink (git prints the real path)', async () => {
    const real = path.join(tmp, 'real-checkout');
    fs.mkdirSync(path.join(real, 'go', 'svc'), { recursive: true });
    fs.writeFileSync(path.join(real, 'go', 'svc', 'main.go'), 'package main\n');
    const link = path.join(tmp, 'linked-checkout');
    fs.symlinkSync(real, link);
    const events = failedAction('//svc:svc', path.join(link, 'go', 'svc'), './main.go:1:1: expected declaration\n');
    const r = await run(events, { repoRoot: fs.realpathSync(real), workspaceRoot: path.join(link, 'go') });
    expect(lines(r.err, '::error')).toEqual(['::error file=go/svc/main.go,line=1,col=1::expected declaration']);
  });

  it("a C compiler's errors: on the file in the package's directory, else in go's, else named in the message", async () => {
    const ws = path.join(tmp, 'cgo-ws');
    fs.mkdirSync(path.join(ws, 'lib', 'cc'), { recursive: true });
    for (const f of ['f.c', 'inc.h']) fs.writeFileSync(path.join(ws, 'lib', 'cc', f), 'int x;\n');
    fs.writeFileSync(path.join(ws, 'top.h'), 'int y;\n');
    const log = [
      '# example.com/cg/lib/cc',
      "f.c:1:22: error: 'undefined_x' undeclared (first use in this function)",
      '    1 | int f(void) { return undefined_x; }',
      "./inc.h:1:22: error: 'undefined_y' undeclared (first use in this function)",
      'top.h:2:1: error: unknown type name ‘y’',
      'gone.c:3:1: error: expected expression',
      'lib/cc/cc.go:3:11: fatal error: nothere.h: No such file or directory',
      '',
    ].join('\n');
    const r = await run(failedAction('//cmd/app:app', ws, log, { 'example.com/cg/lib/cc': path.join(ws, 'lib', 'cc') }), { repoRoot: ws, workspaceRoot: ws });
    expect(lines(r.err, '::error')).toEqual([
      "::error file=lib/cc/f.c,line=1,col=22::'undefined_x' undeclared (first use in this function)",
      "::error file=lib/cc/inc.h,line=1,col=22::'undefined_y' undeclared (first use in this function)",
      '::error file=top.h,line=2,col=1::unknown type name ‘y’',
      '::error::gone.c:3:1: expected expression',
      '::error file=lib/cc/cc.go,line=3,col=11::fatal error: nothere.h: No such file or directory',
    ]);
    // Without the package's directory, only what go's directory holds is placed.
    const without = await run(failedAction('//cmd/app:app', ws, log), { repoRoot: ws, workspaceRoot: ws });
    expect(lines(without.err, '::error')).toEqual([
      "::error::f.c:1:22: 'undefined_x' undeclared (first use in this function)",
      "::error::./inc.h:1:22: 'undefined_y' undeclared (first use in this function)",
      '::error file=top.h,line=2,col=1::unknown type name ‘y’',
      '::error::gone.c:3:1: expected expression',
      '::error file=lib/cc/cc.go,line=3,col=11::fatal error: nothere.h: No such file or directory',
    ]);
  });

  it('a position without a column, and continuation lines as part of the message', async () => {
    const r = await run(
      failedAction(
        '//svc:svc',
        '/WORKSPACE/svc',
        [
          '# example.com/acme/svc',
          'main.go:12: //go:embed only allowed in Go files that import "embed"',
          './handler.go:9:14: cannot use h (variable of type *H) as http.Handler value in argument to mux.Handle: *H does not implement http.Handler (missing method ServeHTTP)',
          '\t\thave Serve(http.ResponseWriter, *http.Request)',
          '\t\twant ServeHTTP(http.ResponseWriter, *http.Request)',
          './handler.go:20:1: missing return',
          'too many errors',
          '',
        ].join('\n'),
      ),
    );
    expect(lines(r.err, '::error')).toEqual([
      '::error file=svc/main.go,line=12:://go:embed only allowed in Go files that import "embed"',
      '::error file=svc/handler.go,line=9,col=14::cannot use h (variable of type *H) as http.Handler value in argument to mux.Handle: *H does not implement http.Handler (missing method ServeHTTP)%0Ahave Serve(http.ResponseWriter, *http.Request)%0Awant ServeHTTP(http.ResponseWriter, *http.Request)',
      '::error file=svc/handler.go,line=20,col=1::missing return',
    ]);
  });

  it('escapes messages (%, CR, LF) and property values (also : and ,)', async () => {
    const r = await run(failedAction('//odd:odd', '/WORKSPACE/svc:v2,beta', './main.go:3:9: fmt.Sprintf format %d reads arg #1 "50%\r"\n'));
    expect(lines(r.err, '::error')).toEqual(['::error file=svc%3Av2%2Cbeta/main.go,line=3,col=9::fmt.Sprintf format %25d reads arg #1 "50%25%0D"']);
  });

  it('a failure with no positioned error gets one annotation with the start of its log', async () => {
    const r = await run(
      failedAction('//svc:svc', '/WORKSPACE/svc', '# example.com/acme/svc\nmain.main: relocation target main.missing not defined\n'),
    );
    expect(lines(r.err, '::error')).toEqual([
      '::error:://svc:svc (linux/amd64) failed: go build exited with code 2%0A# example.com/acme/svc%0Amain.main: relocation target main.missing not defined',
    ]);
  });

  it('a failure with no output: no group, an annotation with the reason', async () => {
    const events = failedAction('//svc:svc', '/WORKSPACE/svc', '').map((e) =>
      e.type === 'action.finished' ? { ...e, error: 'go was killed by SIGKILL', exitCode: undefined } : e,
    );
    const r = await run(events);
    expect(r.err).toBe('::error:://svc:svc (linux/amd64) failed: go was killed by SIGKILL\n');
  });

  it('output that looks like a workflow command is printed with commands stopped', async () => {
    const log = '--- FAIL: TestX\n::set-output name=x::pwned\n::error::not from gob\n';
    const r = await run(failedAction('//svc:svc', '/WORKSPACE/svc', log));
    const m = /^::group::FAILED \/\/svc:svc \(linux\/amd64\)\n::stop-commands::([0-9a-f]{32})\n([\s\S]*)::\1::\n::endgroup::\n/.exec(r.err);
    expect(m?.[2]).toBe(log);
    // Two builds never share a token.
    const again = await run(failedAction('//svc:svc', '/WORKSPACE/svc', log));
    expect(again.err).not.toContain(`::stop-commands::${m?.[1] ?? ''}`);
  });

  it('the group title is escaped like a message', async () => {
    const events = failedAction('//svc:svc', '/WORKSPACE/svc', 'x\n').map((e) => (e.type === 'action.finished' ? { ...e, platform: 'linux/amd64%' } : e));
    const r = await run(events);
    expect(lines(r.err, '::group::')).toEqual(['::group::FAILED //svc:svc (linux/amd64%25)']);
  });
});

describe('GithubReporter: diagnostics', () => {
  it('config errors: an annotation on the BUILD.yaml line, the hint on a second line', async () => {
    const r = await run(load('config-error.jsonl'));
    expect(lines(r.err, '::')).toEqual([
      '::error file=services/orders/BUILD.yaml,line=9,col=1::YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      '::error file=services/payment/BUILD.yaml,line=4,col=5::unknown key "pakage" in go_binary target "payment"; expected one of: package, out, tags, gcflags, ldflags, x_defs, env, platforms, deps%0Ahint: did you mean "package"?',
    ]);
    expect(r.out).toBe('');
  });

  it('config errors with the repository root above the workspace', async () => {
    const ws = '/src/repo/build/go';
    const r = await run(load('config-error.jsonl', ws), { repoRoot: '/src/repo', workspaceRoot: ws });
    expect(lines(r.err, '::').map((l) => /file=([^,]*)/.exec(l)?.[1])).toEqual(['build/go/services/orders/BUILD.yaml', 'build/go/services/payment/BUILD.yaml']);
  });

  it('build.started says where the workspace is, whatever the options said', async () => {
    const [started] = load('success.jsonl');
    const diagnostic: Diagnostic = { severity: 'warning', code: 'w', message: 'm', location: { file: 'services/BUILD.yaml' } };
    const r = await run([started as StampedEvent, stamp({ type: 'diagnostic', diagnostic })], { repoRoot: '/', workspaceRoot: '/WORKSPACE/services' });
    expect(lines(r.err, '::')).toEqual(['::warning file=WORKSPACE/services/BUILD.yaml::m']);
  });

  it('warnings, diagnostics without a position or a location, and files outside the repository', async () => {
    const diags: Diagnostic[] = [
      { severity: 'warning', code: 'stat-cache-save', message: 'could not save the file stat cache: EACCES' },
      { severity: 'error', code: 'x', message: 'bad file', location: { file: 'gob.yaml' } },
      { severity: 'warning', code: 'y', message: 'odd', location: { file: '/etc/gob/shared.yaml', range: { start: { line: 2, column: 3, offset: 0 }, end: { line: 2, column: 4, offset: 1 } } } },
    ];
    const r = await run(diags.map((diagnostic) => stamp({ type: 'diagnostic', diagnostic })));
    expect(lines(r.err, '::')).toEqual([
      '::warning::could not save the file stat cache: EACCES',
      '::error file=gob.yaml::bad file',
      '::warning::/etc/gob/shared.yaml:2:3: odd',
    ]);
  });
});

describe('GithubReporter: step summary', () => {
  it('failure: title, counts, a table of every target, and the start of each failure log', async () => {
    const file = summaryPath();
    await run(fixedDurations(load('failure.jsonl')), { stepSummaryPath: file });
    const failure = (label: string): string[] => [`#### \`${label}\` (linux/amd64)`, '', 'go build exited with code 1', '', '```text', MONEY_LOG.trimEnd(), '```', ''];
    expect(fs.readFileSync(file, 'utf8')).toBe(
      [
        '## gob build: failed',
        '',
        'Patterns: `//...` · profile: default · platforms: linux/amd64',
        '',
        '**0 built, 4 cached, 3 failed in 9.0s**',
        '',
        '| Target | Platform | Status | Time | Cache |',
        '| --- | --- | --- | ---: | --- |',
        '| `//services/gateway:gateway` | linux/amd64 | cached | 1.5s | local |',
        '| `//services/inventory:inventory` | linux/amd64 | cached | 1.5s | local |',
        '| `//services/notify:notify` | linux/amd64 | cached | 1.5s | local |',
        '| `//services/orders:orders` | linux/amd64 | failed | 1.5s | miss |',
        '| `//services/payment:payment` | linux/amd64 | failed | 1.5s | miss |',
        '| `//services/users:users` | linux/amd64 | cached | 1.5s | local |',
        '| `//tools/acmectl:acmectl` | linux/amd64 | failed | 1.5s | miss |',
        '',
        '### Failures',
        '',
        ...failure('//services/orders:orders'),
        ...failure('//services/payment:payment'),
        ...failure('//tools/acmectl:acmectl').slice(0, -1),
        '',
      ].join('\n'),
    );
  });

  it('success and skipped targets', async () => {
    const ok = summaryPath();
    await run(fixedDurations(load('success.jsonl')), { stepSummaryPath: ok });
    const text = fs.readFileSync(ok, 'utf8');
    expect(text.split('\n').slice(0, 5)).toEqual(['## gob build: succeeded', '', 'Patterns: `//...` · profile: default · platforms: linux/amd64', '', '**7 built, 0 cached, 0 failed in 9.0s**']);
    expect(text).toContain('| `//tools/acmectl:acmectl` | linux/amd64 | built | 1.5s | miss |\n');
    expect(text).not.toContain('### Failures');

    const stop = summaryPath();
    await run(fixedDurations(load('failure-stop.jsonl')), { stepSummaryPath: stop });
    expect(fs.readFileSync(stop, 'utf8')).toContain('| `//services/payment:payment` | linux/amd64 | skipped | - | - |\n');
  });

  it('config errors: the diagnostics as gob prints them', async () => {
    const file = summaryPath();
    await run(load('config-error.jsonl'), { stepSummaryPath: file });
    expect(fs.readFileSync(file, 'utf8')).toBe(
      [
        '## gob: invalid configuration',
        '',
        '### Problems',
        '',
        '```text',
        'services/orders/BUILD.yaml:9:1: error: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
        'services/payment/BUILD.yaml:4:5: error: unknown key "pakage" in go_binary target "payment"; expected one of: package, out, tags, gcflags, ldflags, x_defs, env, platforms, deps',
        '    hint: did you mean "package"?',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('appends to what earlier steps wrote, and caps each log', async () => {
    const file = summaryPath();
    fs.writeFileSync(file, '# Earlier step\n\n');
    const log = Array.from({ length: 25 }, (_, i) => `./main.go:${i + 1}:1: error ${i + 1}`).join('\n');
    await run(failedAction('//svc:svc', '/WORKSPACE/svc', `${log}\n`), { stepSummaryPath: file });
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('# Earlier step\n\n## gob: did not finish\n')).toBe(true);
    expect(text).toContain('./main.go:20:1: error 20\n```\n… 5 more line(s) in the job log.\n');
    expect(text).not.toContain('error 21');
  });

  it('a log holding a code fence gets a longer fence', async () => {
    const file = summaryPath();
    await run(failedAction('//svc:svc', '/WORKSPACE/svc', 'before\n```\nafter\n'), { stepSummaryPath: file });
    expect(fs.readFileSync(file, 'utf8')).toContain('````text\nbefore\n```\nafter\n````\n');
  });

  it('writes nothing without a path, or when nothing happened', async () => {
    const file = summaryPath();
    await run([], { stepSummaryPath: file });
    expect(fs.existsSync(file)).toBe(false);
    const r = await run(load('success.jsonl'));
    expect(r.err).toBe('');
  });

  it('a summary that cannot be written is a warning, not a crash', async () => {
    const file = path.join(tmp, 'no-such-dir', 'summary.md');
    const r = await run(load('success.jsonl'), { stepSummaryPath: file });
    expect(r.err).toMatch(/^warning: could not write the step summary to .*no-such-dir\/summary\.md: ENOENT/);
  });
});

describe('workflow command helpers', () => {
  it('escapeData and escapeProperty follow GitHub\'s rules', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext%3A a%2Cb');
    // `%` first, so escapes are not escaped twice.
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('workflowCommand leaves out undefined properties', () => {
    expect(workflowCommand('error', { file: 'a.go', line: 1, col: undefined }, 'm')).toBe('::error file=a.go,line=1::m');
    expect(workflowCommand('warning', {}, 'm')).toBe('::warning::m');
  });

  it('parseCompilerErrors reads relative, absolute and column-less positions and skips the rest', () => {
    expect(
      parseCompilerErrors(
        [
          '# example.com/acme/services/payment',
          './main.go:18:19: cannot use "dev"',
          '../../libs/money/money.go:39:70: x',
          '/abs/dir with space/f.go:1:2: y\r',
          'f.go:7: z',
          '\tgo get example.com/x',
          'note: module requires Go 1.30',
          'main.go is not a position: nope',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      { file: './main.go', line: 18, column: 19, message: 'cannot use "dev"', package: 'example.com/acme/services/payment' },
      { file: '../../libs/money/money.go', line: 39, column: 70, message: 'x', package: 'example.com/acme/services/payment' },
      { file: '/abs/dir with space/f.go', line: 1, column: 2, message: 'y', package: 'example.com/acme/services/payment' },
      { file: 'f.go', line: 7, column: undefined, message: 'z\ngo get example.com/x', package: 'example.com/acme/services/payment' },
    ]);
  });

  it("parseCompilerErrors reads a C compiler's errors, with the package each is in, and not its notes, warnings or quoted source", () => {
    // As go 1.26 prints gcc's messages for a cgo package.
    const log = [
      '# example.com/cg/lib/as',
      'lib/as/a_amd64.s:3: unrecognized instruction "FOOBAR"',
      'asm: assembly of lib/as/a_amd64.s failed',
      '# example.com/cg/lib/cc [example.com/cg/lib/cc.test]',
      'In file included from lib/cc/cc.go:3:',
      "./inc.h: In function 'g':",
      "./inc.h:1:22: error: 'undefined_y' undeclared (first use in this function)",
      '    1 | int g(void) { return undefined_y; }',
      '      |                      ^~~~~~~~~~~',
      './inc.h:1:22: note: each undeclared identifier is reported only once for each function it appears in',
      '    1 | int g(void) { return undefined_y; }',
      "f.c:2:3: warning: implicit declaration of function 'h'",
      'lib/cc/cc.go:3:11: fatal error: nothere.h: No such file or directory',
      '    3 | // #include "nothere.h"',
      '      |           ^~~~~~~~~~~',
      'compilation terminated.',
      '',
    ].join('\n');
    expect(parseCompilerErrors(log)).toEqual([
      { file: 'lib/as/a_amd64.s', line: 3, column: undefined, message: 'unrecognized instruction "FOOBAR"', package: 'example.com/cg/lib/as' },
      { file: './inc.h', line: 1, column: 22, message: "'undefined_y' undeclared (first use in this function)", package: 'example.com/cg/lib/cc' },
      { file: 'lib/cc/cc.go', line: 3, column: 11, message: 'fatal error: nothere.h: No such file or directory', package: 'example.com/cg/lib/cc' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

function stamp<E extends object>(e: E): E & { time: string; v: number } {
  return { ...e, time: '2026-01-01T00:00:00.000Z', v: 1 };
}

/** action.started, action.output (when `log` is not empty) and a failed action.finished. */
function failedAction(label: string, cwd: string, log: string, packageDirs?: Record<string, string>): StampedEvent[] {
  const ref = {
    id: `${label}@linux/amd64`,
    label: label as ActionFinishedEvent['label'],
    platform: 'linux/amd64',
    key: 'k'.repeat(64) as ActionFinishedEvent['key'],
  };
  const events: StampedEvent[] = [
    stamp({ type: 'action.started' as const, ...ref, command: ['go', 'build', '-o', '/tmp/x/', './svc'], cwd, env: {}, inherited: ['PATH'], batch: 'b1', batchSize: 1 }),
  ];
  if (log !== '') events.push(stamp({ type: 'action.output' as const, ...ref, stream: 'stderr' as const, text: log }));
  events.push(
    stamp({
      type: 'action.finished' as const,
      ...ref,
      status: 'failed' as const,
      durationMs: 10,
      outputs: [],
      exitCode: 2,
      error: 'go build exited with code 2',
      ...(packageDirs === undefined ? {} : { packageDirs }),
    }),
  );
  return events;
}
