// Freezes the built gob (packages/{core,ui,cli} without sources) into bench/out/gob-snapshot/<hash>/
// so that a rebuild of dist/ while a long benchmark runs does not change the gob being measured
// half-way through. Dependencies are symlinked from the repository's node_modules; only @gob/*
// points at the frozen copies.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGES = ['core', 'ui', 'cli'];
/** Directories of a package that are not needed to run it. */
const SKIP = new Set(['src', 'test', 'node_modules']);

/** A short fingerprint of the built packages: every file except sources, tests and node_modules. */
export function distFingerprint(root) {
  const h = crypto.createHash('sha256');
  for (const pkg of PACKAGES) {
    const dir = path.join(root, 'packages', pkg);
    for (const rel of listFiles(dir).sort()) {
      h.update(`${pkg}/${rel}\0`);
      h.update(fs.readFileSync(path.join(dir, rel)));
      h.update('\0');
    }
  }
  return h.digest('hex').slice(0, 12);
}

function listFiles(dir, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    if (prefix === '' && SKIP.has(e.name)) continue;
    if (e.name.endsWith('.tsbuildinfo')) continue;
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

/**
 * Copies the built gob into outDir/gob-snapshot/<fingerprint>/ (once per fingerprint) and returns
 * the path of its main.js and the fingerprint.
 * @param {string} root the repository root
 * @param {string} outDir bench/out
 */
export function snapshotGob(root, outDir, commit = 'unknown') {
  const fp = distFingerprint(root);
  const dst = path.join(outDir, 'gob-snapshot', fp);
  const main = path.join(dst, 'packages/cli/dist/main.js');
  if (fs.existsSync(path.join(dst, '.complete'))) return { main, fingerprint: fp, dir: dst, commit: snapshotCommit(dst) };
  fs.rmSync(dst, { recursive: true, force: true });
  for (const pkg of PACKAGES) {
    const src = path.join(root, 'packages', pkg);
    for (const rel of listFiles(src)) {
      fs.mkdirSync(path.dirname(path.join(dst, 'packages', pkg, rel)), { recursive: true });
      fs.copyFileSync(path.join(src, rel), path.join(dst, 'packages', pkg, rel));
    }
    const nested = path.join(src, 'node_modules');
    if (fs.existsSync(nested)) fs.symlinkSync(nested, path.join(dst, 'packages', pkg, 'node_modules'));
  }
  const nm = path.join(dst, 'node_modules');
  fs.mkdirSync(path.join(nm, '@gob'), { recursive: true });
  for (const e of fs.readdirSync(path.join(root, 'node_modules'))) {
    if (e === '@gob') continue;
    fs.symlinkSync(path.join(root, 'node_modules', e), path.join(nm, e));
  }
  for (const pkg of PACKAGES) fs.symlinkSync(path.join(dst, 'packages', pkg), path.join(nm, '@gob', pkg));
  // The copy must be what was fingerprinted: a rebuild during the copy would mix versions.
  if (distFingerprint(root) !== fp) {
    fs.rmSync(dst, { recursive: true, force: true });
    throw new Error('packages/*/dist changed while it was being copied (a concurrent build?); run again');
  }
  fs.writeFileSync(path.join(dst, '.complete'), `${JSON.stringify({ date: new Date().toISOString(), commit })}\n`);
  return { main, fingerprint: fp, dir: dst, commit };
}

/** The commit (as `git rev-parse`, plus `+dirty`) the snapshot in dir was taken at, if recorded. */
export function snapshotCommit(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, '.complete'), 'utf8')).commit ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
