#!/usr/bin/env node
// Generates a synthetic, offline Go monorepo for benchmarking gob.
//
//   node bench/generate.mjs --preset S --out DIR [--seed N] [--services N] [--libs N] ...
//
// Layout of a generated repository (one Go module, no external modules):
//
//   gob.yaml                      CGO off, gob's defaults otherwise
//   go.mod                        module bench.example/mono, go 1.26
//   libs/core/...                 the base library: every service imports it directly
//   libs/<lib>/                   a library facade package, importing its sub-packages and
//   libs/<lib>/<sub>/               the facades of a few libraries of lower layers
//   services/<svc>/BUILD.yaml     one go_binary target per service
//   services/<svc>/*.go           package main: imports core, its internal packages, a lib
//   services/<svc>/internal/<p>/  the service's own packages, each importing a few libraries
//
// The output depends only on the parameters and the seed: same input, byte-identical tree.
// Every package is real-looking Go (types, methods, loops, closures, a generic helper), every
// import is used, and the tree passes `go vet ./...`.

import { Buffer } from 'node:buffer';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

/** Bump when the generated output changes for the same parameters (invalidates bench/out reuse). */
export const GENERATOR_VERSION = 3;

export const MODULE_PATH = 'bench.example/mono';

/**
 * @typedef {object} GenParams
 * @property {number} services        go_binary services under services/
 * @property {number} libs            libraries under libs/, counting libs/core
 * @property {number} layers          library layers above core (a lib imports only lower layers)
 * @property {number} pkgsPerLib      packages per library (the facade and its sub-packages)
 * @property {number} pkgsPerService  packages per service (main and its internal packages)
 * @property {number} filesPerPkg     .go files per package
 * @property {number} lines           approximate lines per .go file (the file size)
 * @property {number} libsPerService  libraries (besides core) each service imports
 * @property {number} depsPerLib      lower-layer libraries each library imports
 */

/** @type {Record<string, GenParams>} */
export const PRESETS = {
  // For tests: a few seconds to generate, vet and build.
  tiny: { services: 3, libs: 4, layers: 2, pkgsPerLib: 2, pkgsPerService: 2, filesPerPkg: 2, lines: 60, libsPerService: 2, depsPerLib: 1 },
  // 20 services, 200 packages, 1,000 files.
  S: { services: 20, libs: 28, layers: 4, pkgsPerLib: 5, pkgsPerService: 3, filesPerPkg: 5, lines: 150, libsPerService: 4, depsPerLib: 3 },
  // 100 services, 1,000 packages, 5,000 files.
  M: { services: 100, libs: 140, layers: 4, pkgsPerLib: 5, pkgsPerService: 3, filesPerPkg: 5, lines: 150, libsPerService: 4, depsPerLib: 3 },
  // 400 services, 5,000 packages, 25,000 files.
  L: { services: 400, libs: 760, layers: 5, pkgsPerLib: 5, pkgsPerService: 3, filesPerPkg: 5, lines: 150, libsPerService: 4, depsPerLib: 3 },
};

/** Command-line names of the parameters. */
export const PARAM_FLAGS = /** @type {const} */ ({
  services: 'services',
  libs: 'libs',
  layers: 'layers',
  'pkgs-per-lib': 'pkgsPerLib',
  'pkgs-per-service': 'pkgsPerService',
  files: 'filesPerPkg',
  lines: 'lines',
  'libs-per-service': 'libsPerService',
  'deps-per-lib': 'depsPerLib',
});

/**
 * The parameters for a preset with overrides applied, checked.
 * @param {string} preset
 * @param {Partial<GenParams>} [overrides]
 * @returns {GenParams}
 */
export function resolveParams(preset, overrides = {}) {
  const base = PRESETS[preset];
  if (base === undefined) throw new Error(`unknown preset "${preset}"; known: ${Object.keys(PRESETS).join(', ')}`);
  /** @type {GenParams} */
  const p = { ...base, ...overrides };
  for (const [k, v] of Object.entries(p)) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`${k} must be a whole number, got ${String(v)}`);
  }
  if (p.services < 1) throw new Error('services must be at least 1');
  if (p.libs < 1) throw new Error('libs must be at least 1 (libs/core)');
  if (p.layers < 1) throw new Error('layers must be at least 1');
  if (p.pkgsPerLib < 1 || p.pkgsPerService < 1 || p.filesPerPkg < 1) throw new Error('packages and files per package must be at least 1');
  return p;
}

/** A short stable name for a parameter set: the preset name, or preset+hash when overridden. */
export function repoName(preset, params, seed) {
  const same = JSON.stringify(params) === JSON.stringify(PRESETS[preset]);
  const tag = same ? preset : `${preset}-custom-${sha256(JSON.stringify(params)).slice(0, 8)}`;
  return `${tag}-seed${seed}`;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function sha256(s) {
  return crypto.createHash('sha256').update(s).digest('hex');
}

/** mulberry32 seeded from a string. */
function rng(seedText) {
  let a = Number.parseInt(sha256(seedText).slice(0, 8), 16) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** @param {number} n */
    int: (n) => Math.floor(next() * n),
    /** @param {number} lo @param {number} hi inclusive */
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    /** @template T @param {readonly T[]} xs @param {number} k @returns {T[]} k distinct items */
    sample(xs, k) {
      const pool = [...xs];
      const out = [];
      while (out.length < k && pool.length > 0) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Names (none is a Go keyword, a predeclared identifier, a std package the templates import, or a
// local name the templates use)

const SERVICE_WORDS = [
  'payments', 'orders', 'catalog', 'checkout', 'billing', 'invoices', 'shipping', 'inventory', 'pricing', 'search',
  'accounts', 'identity', 'sessions', 'notify', 'mailer', 'ledger', 'reports', 'analytics', 'gateway', 'refunds',
  'fraud', 'loyalty', 'reviews', 'media', 'uploads', 'webhooks', 'scheduler', 'dispatch', 'tracking', 'returns',
  'coupons', 'tax', 'audit', 'consent', 'profiles', 'quotes', 'warehouse', 'fulfil', 'support', 'chat',
];
const LIB_WORDS = [
  'cachex', 'retryx', 'money', 'geo', 'ids', 'authz', 'flags', 'rates', 'queue', 'metricsx',
  'tracing', 'validate', 'schema', 'units', 'calendar', 'locale', 'crypto2', 'tokens', 'paging', 'filters',
  'pool', 'breaker', 'limiter', 'dedupe', 'merge', 'diffs', 'graphs', 'matrix', 'stats', 'ranking',
  'tiers', 'quota', 'shards', 'router', 'codecs', 'frames', 'ledgerx', 'policy', 'rules', 'scoring',
];
const SUB_WORDS = ['store', 'codec', 'index', 'wire', 'model', 'plan', 'cache', 'audit', 'metrics', 'retry', 'query', 'batch'];
const SERVICE_SUB_WORDS = ['handler', 'store', 'model', 'worker', 'config', 'client', 'events', 'jobs'];
const NOUNS = [
  'Account', 'Order', 'Invoice', 'Shipment', 'Ticket', 'Session', 'Policy', 'Quote', 'Batch', 'Record',
  'Entry', 'Window', 'Bucket', 'Route', 'Rule', 'Metric', 'Ledger', 'Grant', 'Token', 'Claim',
];

/** @param {readonly string[]} words @param {number} i */
function nth(words, i) {
  const w = words[i % words.length];
  const round = Math.floor(i / words.length);
  return round === 0 ? w : `${w}${round + 1}`;
}

// ---------------------------------------------------------------------------------------------
// The package graph

/**
 * @typedef {object} Pkg
 * @property {string} dir        workspace-relative
 * @property {string} importPath
 * @property {string} name       Go package name
 * @property {Pkg[]} deps        workspace packages it imports
 * @property {number} salt       a number the package's Score mixes in
 * @property {'main'|'lib'|'core'} role
 */

/**
 * @param {GenParams} p
 * @param {number} seed
 */
export function buildGraph(p, seed) {
  const r = rng(`gob-bench/${GENERATOR_VERSION}/${JSON.stringify(p)}/${seed}`);
  /** @type {Pkg[]} */
  const pkgs = [];
  /** @param {string} dir @param {string} name @param {Pkg['role']} role @returns {Pkg} */
  const mk = (dir, name, role) => {
    const pkg = { dir, importPath: `${MODULE_PATH}/${dir}`, name, deps: [], salt: r.range(1000, 99999), role };
    pkgs.push(pkg);
    return pkg;
  };

  /**
   * A library: its facade package at libs/<name> and pkgsPerLib-1 sub-packages. Sub-package k
   * may import sub-package k+1 (a chain inside the library); the facade imports them all.
   * @param {string} name
   */
  const mkLib = (name, role) => {
    const facade = mk(`libs/${name}`, name, role);
    /** @type {Pkg[]} */
    const subs = [];
    for (let k = 0; k < p.pkgsPerLib - 1; k++) subs.push(mk(`libs/${name}/${nth(SUB_WORDS, k)}`, nth(SUB_WORDS, k), role));
    for (let k = 0; k + 1 < subs.length; k++) if (r.next() < 0.5) subs[k].deps.push(subs[k + 1]);
    facade.deps.push(...subs);
    return { name, facade, subs, pkgs: [facade, ...subs] };
  };

  const core = mkLib('core', 'core');
  /** @type {ReturnType<typeof mkLib>[][]} libraries by layer; layer 0 is core alone */
  const layers = [[core]];
  const others = p.libs - 1;
  for (let l = 1; l <= p.layers; l++) layers.push([]);
  for (let i = 0; i < others; i++) {
    const layer = 1 + Math.floor((i * p.layers) / Math.max(others, 1));
    layers[layer].push(mkLib(nth(LIB_WORDS, i), 'lib'));
  }
  for (let l = 1; l < layers.length; l++) {
    const lower = layers.slice(0, l).flat();
    for (const lib of layers[l]) {
      // The layer right above core always uses core; higher layers pick among all lower ones.
      const picked = l === 1 ? [core] : r.sample(lower, Math.min(p.depsPerLib, lower.length));
      // Spread the imports over the library's packages, facade first.
      picked.forEach((dep, i) => {
        const user = lib.pkgs[i % lib.pkgs.length];
        if (!user.deps.includes(dep.facade)) user.deps.push(dep.facade);
      });
    }
  }
  const allLibs = layers.slice(1).flat();

  /** @type {{name: string, dir: string, main: Pkg, pkgs: Pkg[]}[]} */
  const services = [];
  for (let s = 0; s < p.services; s++) {
    const name = nth(SERVICE_WORDS, s);
    const dir = `services/${name}`;
    const main = mk(dir, 'main', 'main');
    /** @type {Pkg[]} */
    const internal = [];
    for (let k = 0; k < p.pkgsPerService - 1; k++) {
      const w = nth(SERVICE_SUB_WORDS, k);
      internal.push(mk(`${dir}/internal/${w}`, w, 'lib'));
    }
    for (let k = 0; k + 1 < internal.length; k++) if (r.next() < 0.5) internal[k].deps.push(internal[k + 1]);
    main.deps.push(core.facade, ...internal);
    const libs = r.sample(allLibs, Math.min(p.libsPerService, allLibs.length));
    const users = internal.length > 0 ? internal : [main];
    libs.forEach((lib, i) => {
      const user = i === 0 ? main : users[(i - 1) % users.length];
      if (!user.deps.includes(lib.facade)) user.deps.push(lib.facade);
    });
    services.push({ name, dir, main, pkgs: [main, ...internal] });
  }
  return { pkgs, services, core };
}

// ---------------------------------------------------------------------------------------------
// Go source

const STD = ['errors', 'fmt', 'math', 'sort', 'strconv', 'strings'];

/**
 * Import names for a file's workspace imports: the package name, or name+N when it collides
 * with a std package, another import or the package itself.
 * @param {Pkg} self @param {Pkg[]} deps
 */
function importNames(self, deps) {
  const taken = new Set([...STD, 'os', self.name]);
  return deps.map((d) => {
    let n = d.name;
    for (let i = 2; taken.has(n); i++) n = `${d.name}${i}`;
    taken.add(n);
    return { pkg: d, as: n, alias: n !== d.name };
  });
}

/** @param {Pkg} pkg @param {number} fileIdx @param {number} salt @returns {string} */
function filler(pkg, fileIdx, j, salt) {
  const id = `${fileIdx}x${j}`;
  switch (j % 5) {
    case 0:
      return `
// matMul${id} multiplies two small matrices and returns the trace of the product.
func matMul${id}(a, b [4][4]float64) float64 {
	var out [4][4]float64
	for i := 0; i < 4; i++ {
		for k := 0; k < 4; k++ {
			aik := a[i][k]
			for j := 0; j < 4; j++ {
				out[i][j] += aik * b[k][j]
			}
		}
	}
	trace := 0.0
	for i := 0; i < 4; i++ {
		trace += out[i][i] * float64(${salt % 97}+i)
	}
	return math.Round(trace*1000) / 1000
}
`;
    case 1:
      return `
// table${id} renders rows as an aligned text table.
func table${id}(rows [][]string) string {
	widths := map[int]int{}
	for _, row := range rows {
		for c, cell := range row {
			if len(cell) > widths[c] {
				widths[c] = len(cell)
			}
		}
	}
	var b strings.Builder
	for r, row := range rows {
		b.WriteString(strconv.Itoa(r + ${salt % 13}))
		for c, cell := range row {
			b.WriteString(" | ")
			b.WriteString(cell)
			b.WriteString(strings.Repeat(" ", widths[c]-len(cell)))
		}
		b.WriteByte('\\n')
	}
	return b.String()
}
`;
    case 2:
      return `
// histogram${id} buckets values and returns the buckets in order with their counts.
func histogram${id}(values []int, width int) ([]int, map[int]int) {
	if width <= 0 {
		width = ${(salt % 7) + 1}
	}
	counts := make(map[int]int, len(values))
	for _, v := range values {
		counts[v/width]++
	}
	keys := make([]int, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys, counts
}
`;
    case 3:
      return `
// tokens${id} splits s into words and numbers, reporting the first malformed token.
func tokens${id}(s string) ([]string, error) {
	var out []string
	var cur []rune
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		tok := string(cur)
		cur = cur[:0]
		if tok[0] >= '0' && tok[0] <= '9' {
			if _, err := strconv.Atoi(tok); err != nil {
				return fmt.Errorf("${pkg.name}: bad number %q: %w", tok, err)
			}
		}
		out = append(out, tok)
		return nil
	}
	for _, c := range s {
		switch {
		case c == ' ' || c == ',' || c == ';':
			if err := flush(); err != nil {
				return nil, err
			}
		default:
			cur = append(cur, c)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}
`;
    default:
      return `
// movingAverage${id} smooths xs over a window and reports the largest jump.
func movingAverage${id}(xs []float64, window int) ([]float64, float64) {
	if window < 1 {
		return nil, 0
	}
	out := make([]float64, 0, len(xs))
	sum, maxJump := 0.0, 0.0
	for i, x := range xs {
		sum += x
		if i >= window {
			sum -= xs[i-window]
		}
		n := math.Min(float64(i+1), float64(window))
		avg := sum / n
		if len(out) > 0 {
			maxJump = math.Max(maxJump, math.Abs(avg-out[len(out)-1]))
		}
		out = append(out, avg)
	}
	return out, maxJump * ${((salt % 5) + 1)}
}
`;
  }
}

/**
 * One .go file of a package. File 0 holds the package's API: Revision, Score and the generic
 * helper; every file holds a type with methods and score<i>, which Score sums.
 * @param {Pkg} pkg @param {number} fileIdx @param {GenParams} p @param {Pkg[]} fileDeps
 */
function goFile(pkg, fileIdx, p, fileDeps, tag) {
  const r = rng(`${pkg.importPath}/${fileIdx}/${pkg.salt}`);
  const noun = NOUNS[(fileIdx + pkg.salt) % NOUNS.length];
  const T = `${noun}${fileIdx}`;
  const imports = importNames(pkg, fileDeps);
  const isMain = pkg.role === 'main';
  const std = [...STD, ...(isMain && fileIdx === 0 ? ['os'] : [])].sort();
  const k = r.range(3, 9);
  const lines = [];
  if (fileIdx === 0) lines.push(`// Package ${pkg.name} is synthetic code for gob benchmarks (${tag}).`);
  else lines.push(`// Synthetic code for gob benchmarks (${tag}).`, '');
  lines.push(`package ${pkg.name}`, '', 'import (');
  for (const s of std) lines.push(`\t"${s}"`);
  if (imports.length > 0) lines.push('');
  for (const im of imports) lines.push(im.alias ? `\t${im.as} "${im.pkg.importPath}"` : `\t"${im.pkg.importPath}"`);
  lines.push(')', '');

  if (fileIdx === 0) {
    const calls = [];
    for (let f = 0; f < p.filesPerPkg; f++) calls.push(`\tacc += score${f}(acc % ${r.range(50, 500)})`);
    lines.push(
      `// Revision identifies this version of the package's API.`,
      `const Revision = ${r.range(1, 500)}`,
      '',
      `// salt changes the package's results; benchmarks edit it to make a real change.`,
      `const salt = ${pkg.salt}`,
      '',
      `// Score mixes seed through every file of the package and the packages it imports.`,
      `func Score(seed int) int {`,
      `\tacc := seed ^ salt`,
      ...calls,
      `\tif acc < 0 {`,
      `\t\tacc = -acc`,
      `\t}`,
      `\treturn acc % 1000003`,
      `}`,
      '',
      `// mapSlice applies f to each element of in.`,
      `func mapSlice[T, U any](in []T, f func(T) U) []U {`,
      `\tout := make([]U, 0, len(in))`,
      `\tfor _, v := range in {`,
      `\t\tout = append(out, f(v))`,
      `\t}`,
      `\treturn out`,
      `}`,
      '',
    );
    if (isMain) {
      lines.push(
        `var version = "dev"`,
        '',
        `func main() {`,
        `\tseed := len(os.Args) + salt`,
        `\tnames := mapSlice([]int{seed, seed * 2, seed * 3}, strconv.Itoa)`,
        `\tfmt.Printf("%s %s score=%d\\n", version, strings.Join(names, ","), Score(seed))`,
        `}`,
        '',
      );
    }
  }

  const depCalls = imports.map((im) => `\tacc += ${im.as}.Score(acc % ${r.range(7, 997)})`);
  lines.push(
    `// ${T} is one ${noun.toLowerCase()} as the ${pkg.name} package tracks it.`,
    `type ${T} struct {`,
    `\tID       int`,
    `\tName     string`,
    `\tWeight   float64`,
    `\tLabels   []string`,
    `\tChildren []*${T}`,
    `\tmeta     map[string]int`,
    `}`,
    '',
    `// New${T} returns a ${T} with normalised, sorted labels.`,
    `func New${T}(id int, name string, labels ...string) *${T} {`,
    `\tnorm := make([]string, 0, len(labels))`,
    `\tfor _, l := range labels {`,
    `\t\tl = strings.TrimSpace(strings.ToLower(l))`,
    `\t\tif l != "" {`,
    `\t\t\tnorm = append(norm, l)`,
    `\t\t}`,
    `\t}`,
    `\tsort.Strings(norm)`,
    `\treturn &${T}{ID: id, Name: name, Labels: norm, meta: map[string]int{}}`,
    `}`,
    '',
    `// Total is the weight of the ${noun.toLowerCase()} and all its children.`,
    `func (x *${T}) Total() float64 {`,
    `\tif x == nil {`,
    `\t\treturn 0`,
    `\t}`,
    `\tsum := x.Weight`,
    `\tfor _, c := range x.Children {`,
    `\t\tsum += c.Total()`,
    `\t}`,
    `\treturn math.Round(sum*1000) / 1000`,
    `}`,
    '',
    `// Tag counts one use of key.`,
    `func (x *${T}) Tag(key string) int {`,
    `\tif x.meta == nil {`,
    `\t\tx.meta = map[string]int{}`,
    `\t}`,
    `\tx.meta[key]++`,
    `\treturn x.meta[key]`,
    `}`,
    '',
    `func (x *${T}) String() string {`,
    `\treturn fmt.Sprintf("${T}(%d, %q, %.3f)", x.ID, x.Name, x.Weight) + "#" + strconv.Itoa(len(x.Labels))`,
    `}`,
    '',
    `var errEmpty${T} = errors.New("${pkg.name}: empty ${noun.toLowerCase()}")`,
    '',
    `// Validate${T} checks that x has a name and at most ${k} labels.`,
    `func Validate${T}(x *${T}) error {`,
    `\tif x == nil || x.Name == "" {`,
    `\t\treturn errEmpty${T}`,
    `\t}`,
    `\tif len(x.Labels) > ${k} {`,
    `\t\treturn fmt.Errorf("${pkg.name}: %s has %d labels, want at most ${k}", x.Name, len(x.Labels))`,
    `\t}`,
    `\treturn nil`,
    `}`,
    '',
    `// Rank${T} orders items by weight (heaviest first), then by name.`,
    `func Rank${T}(items []*${T}) []*${T} {`,
    `\tout := append([]*${T}(nil), items...)`,
    `\tsort.Slice(out, func(i, j int) bool {`,
    `\t\tif out[i].Weight != out[j].Weight {`,
    `\t\t\treturn out[i].Weight > out[j].Weight`,
    `\t\t}`,
    `\t\treturn out[i].Name < out[j].Name`,
    `\t})`,
    `\treturn out`,
    `}`,
    '',
    `func checksum${fileIdx}(data []byte) uint32 {`,
    `\th := uint32(2166136261)`,
    `\tfor _, b := range data {`,
    `\t\th ^= uint32(b)`,
    `\t\th *= 16777619`,
    `\t}`,
    `\treturn h`,
    `}`,
    '',
    `func score${fileIdx}(seed int) int {`,
    `\tacc := seed*${r.range(3, 31)} + ${r.range(1, 1000)}`,
    `\tfor i := 0; i < ${r.range(8, 64)}; i++ {`,
    `\t\tswitch {`,
    `\t\tcase acc%3 == 0:`,
    `\t\t\tacc = acc/3 + i`,
    `\t\tcase acc%2 == 0:`,
    `\t\t\tacc = acc/2 + ${r.range(1, 99)}`,
    `\t\tdefault:`,
    `\t\t\tacc = acc*3 + 1`,
    `\t\t}`,
    `\t\tacc %= 1000003`,
    `\t}`,
    `\tacc += int(checksum${fileIdx}([]byte(strconv.Itoa(acc))) % 1000)`,
    `\titems := []*${T}{New${T}(1, "a", "x"), New${T}(2, "b"), New${T}(acc, "c", "y", "z")}`,
    `\tfor _, it := range Rank${T}(items) {`,
    `\t\tif Validate${T}(it) == nil {`,
    `\t\t\tacc += it.Tag(it.Name) + int(it.Total())`,
    `\t\t}`,
    `\t}`,
    ...depCalls,
    `\treturn acc`,
    `}`,
  );
  let text = lines.join('\n') + '\n';
  // Grow the file to about p.lines lines with helper functions.
  let count = text.split('\n').length;
  for (let j = 0; count < p.lines; j++) {
    const f = filler(pkg, fileIdx, j, pkg.salt + j);
    text += f;
    count += f.split('\n').length - 1;
  }
  return text;
}

/** @param {Pkg} pkg @param {number} i */
function fileName(pkg, i) {
  if (i === 0) return pkg.role === 'main' ? 'main.go' : `${pkg.name}.go`;
  return `${NOUNS[(i + pkg.salt) % NOUNS.length].toLowerCase()}${i}.go`;
}

/**
 * Every file of the repository, in a stable order.
 * @param {GenParams} p @param {number} seed @param {string} tag
 * @returns {{files: Map<string, string>, graph: ReturnType<typeof buildGraph>}}
 */
export function render(p, seed, tag) {
  const graph = buildGraph(p, seed);
  /** @type {Map<string, string>} */
  const files = new Map();
  files.set('go.mod', `module ${MODULE_PATH}\n\ngo 1.26\n`);
  files.set('gob.yaml', `# Synthetic monorepo for gob benchmarks (${tag}).\nversion: 1\ngo:\n  env: { CGO_ENABLED: "0" }\n`);
  files.set('.gitignore', 'gob-out/\n');
  for (const pkg of graph.pkgs) {
    // Spread the package's imports over its files; file 0 always has at least its share.
    /** @type {Pkg[][]} */
    const perFile = Array.from({ length: p.filesPerPkg }, () => []);
    pkg.deps.forEach((d, i) => perFile[i % p.filesPerPkg].push(d));
    for (let i = 0; i < p.filesPerPkg; i++) files.set(`${pkg.dir}/${fileName(pkg, i)}`, goFile(pkg, i, p, perFile[i], tag));
  }
  for (const svc of graph.services) {
    files.set(`${svc.dir}/BUILD.yaml`, `targets:\n  ${svc.name}:\n    kind: go_binary\n`);
  }
  return { files, graph };
}

/**
 * Facts about a generated repository, written to .gob-bench.json at its root. The benchmark
 * harness reads them (which service and which file to edit) and uses them to decide reuse.
 */
export function describe(p, seed, preset, graph, files) {
  const svc = graph.services[Math.floor(graph.services.length / 2)];
  let goFiles = 0;
  let bytes = 0;
  let lines = 0;
  for (const [f, t] of files) {
    if (!f.endsWith('.go')) continue;
    goFiles++;
    bytes += Buffer.byteLength(t);
    lines += t.split('\n').length - 1;
  }
  // Workspace packages in each service's import closure (what one go build compiles, besides std).
  const closure = (root) => {
    const seen = new Set();
    const stack = [root];
    while (stack.length > 0) {
      const q = stack.pop();
      if (seen.has(q)) continue;
      seen.add(q);
      stack.push(...q.deps);
    }
    return seen.size;
  };
  const sizes = graph.services.map((x) => closure(x.main));
  return {
    generator: GENERATOR_VERSION,
    preset,
    seed,
    params: p,
    module: MODULE_PATH,
    services: graph.services.map((s) => ({ name: s.name, dir: s.dir, label: `//${s.dir}:${s.name}` })),
    stats: {
      packages: graph.pkgs.length,
      goFiles,
      goLines: lines,
      goBytes: bytes,
      buildFiles: graph.services.length,
      closurePackagesMin: Math.min(...sizes),
      closurePackagesMedian: [...sizes].sort((a, b) => a - b)[Math.floor(sizes.length / 2)],
      closurePackagesMax: Math.max(...sizes),
    },
    // B4 edits this service's main.go; B5 edits libs/core/core.go (every service imports core).
    leafEdit: { service: svc.name, file: `${svc.dir}/main.go` },
    sharedEdit: { lib: 'libs/core', file: 'libs/core/core.go' },
  };
}

export const STAMP_FILE = '.gob-bench.json';

/** The identity of a generated tree: what must match for bench/out reuse. */
export function stampIdentity(stamp) {
  return JSON.stringify({ generator: stamp.generator, params: stamp.params, seed: stamp.seed });
}

/**
 * Generates the repository into `out` (replacing a previous generation there; refusing to touch
 * a non-empty directory that is not one).
 * @param {{preset: string, seed?: number, overrides?: Partial<GenParams>, out: string}} opts
 */
export function generate(opts) {
  const seed = opts.seed ?? 1;
  const params = resolveParams(opts.preset, opts.overrides);
  const tag = `preset ${opts.preset}, seed ${seed}`;
  const { files, graph } = render(params, seed, tag);
  const stamp = describe(params, seed, opts.preset, graph, files);
  const out = path.resolve(opts.out);
  if (fs.existsSync(out)) {
    const entries = fs.readdirSync(out);
    if (entries.length > 0 && !entries.includes(STAMP_FILE)) {
      throw new Error(`${out} is not empty and was not made by bench/generate.mjs; refusing to overwrite it`);
    }
  }
  // Write next to the target, then swap it in, so an interrupted run never leaves half a tree.
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const dirs = new Set();
  for (const f of files.keys()) dirs.add(path.dirname(path.join(tmp, f)));
  for (const d of [...dirs].sort()) fs.mkdirSync(d, { recursive: true });
  for (const [f, t] of files) fs.writeFileSync(path.join(tmp, f), t);
  fs.writeFileSync(path.join(tmp, STAMP_FILE), JSON.stringify(stamp, null, 2) + '\n');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.renameSync(tmp, out);
  return { out, stamp };
}

/** Reads the stamp of a generated repository, or undefined. */
export function readStamp(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, STAMP_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Command line

/**
 * Parses `--name value` / `--name=value` flags into a map; bare `--flag` becomes "true".
 * @param {string[]} argv
 * @returns {Map<string, string>}
 */
export function parseFlags(argv) {
  const m = new Map();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    if (eq > 0) {
      m.set(a.slice(2, eq), a.slice(eq + 1));
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      m.set(a.slice(2), argv[++i]);
    } else {
      m.set(a.slice(2), 'true');
    }
  }
  return m;
}

/** The parameter overrides among parsed flags. */
export function overridesFrom(flags) {
  /** @type {Partial<GenParams>} */
  const o = {};
  for (const [flag, key] of Object.entries(PARAM_FLAGS)) {
    const v = flags.get(flag);
    if (v !== undefined) {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new Error(`--${flag} needs a whole number, got "${v}"`);
      o[key] = n;
    }
  }
  return o;
}

const USAGE = `usage: node bench/generate.mjs --preset S|M|L|tiny --out DIR [--seed N]
       [--services N] [--libs N] [--layers N] [--pkgs-per-lib N] [--pkgs-per-service N]
       [--files N] [--lines N] [--libs-per-service N] [--deps-per-lib N]

Presets:
${Object.entries(PRESETS)
  .map(([k, v]) => `  ${k.padEnd(5)} ${JSON.stringify(v)}`)
  .join('\n')}`;

function main() {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (flags.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const known = new Set(['preset', 'out', 'seed', ...Object.keys(PARAM_FLAGS)]);
  for (const k of flags.keys()) {
    if (!known.has(k)) {
      process.stderr.write(`unknown flag --${k}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  const out = flags.get('out');
  if (out === undefined) {
    process.stderr.write(`--out is required\n${USAGE}\n`);
    process.exit(2);
  }
  try {
    const t0 = performance.now();
    const { stamp } = generate({
      preset: flags.get('preset') ?? 'S',
      seed: Number(flags.get('seed') ?? '1'),
      overrides: overridesFrom(flags),
      out,
    });
    const s = stamp.stats;
    process.stdout.write(
      `generated ${out}: ${stamp.services.length} services, ${s.packages} packages, ${s.goFiles} .go files, ` +
        `${s.goLines} lines (${(s.goBytes / 1e6).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)}s\n`,
    );
  } catch (e) {
    process.stderr.write(`generate: ${e.message}\n`);
    process.exit(2);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
