import { isSha256 } from '../hashing/hash-bytes.js';
import type { ActionOutput, ActionResult } from './action-cache-store.js';

/** The JSON stored in `ac/<2 hex>/<key>`: the result's fields, with optional digests left out when absent. */
export function encodeActionResult(r: ActionResult): string {
  return JSON.stringify({
    outputs: r.outputs.map((o) => ({ path: o.path, digest: o.digest, size: o.size, executable: o.executable })),
    exitCode: r.exitCode,
    stdoutDigest: r.stdoutDigest,
    stderrDigest: r.stderrDigest,
    manifestDigest: r.manifestDigest,
    durationMs: r.durationMs,
    createdAt: r.createdAt,
  });
}

/**
 * Parses and checks an action result, whoever wrote it (this is also what a remote backend's
 * entries go through). Undefined for anything malformed, including an output path that could
 * escape the output directory: an entry decides nothing about where gob writes.
 */
export function decodeActionResult(text: string): ActionResult | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  if (!Array.isArray(d.outputs)) return undefined;
  const outputs: ActionOutput[] = [];
  for (const o of d.outputs as unknown[]) {
    const out = decodeOutput(o);
    if (out === undefined) return undefined;
    outputs.push(out);
  }
  const { exitCode, durationMs, createdAt, stdoutDigest, stderrDigest, manifestDigest } = d;
  if (!Number.isInteger(exitCode) || typeof exitCode !== 'number') return undefined;
  if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs < 0) return undefined;
  if (typeof createdAt !== 'string') return undefined;
  for (const digest of [stdoutDigest, stderrDigest, manifestDigest]) {
    if (digest !== undefined && !isSha256(digest)) return undefined;
  }
  return {
    outputs,
    exitCode,
    stdoutDigest: stdoutDigest as ActionResult['stdoutDigest'],
    stderrDigest: stderrDigest as ActionResult['stderrDigest'],
    manifestDigest: manifestDigest as ActionResult['manifestDigest'],
    durationMs,
    createdAt,
  };
}

function decodeOutput(o: unknown): ActionOutput | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const { path, digest, size, executable } = o as Record<string, unknown>;
  if (typeof path !== 'string' || !isSafeRelativePath(path)) return undefined;
  if (!isSha256(digest)) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  if (typeof executable !== 'boolean') return undefined;
  return { path, digest, size, executable };
}

/** `a/b/c`: relative, `/`-separated, no empty, `.` or `..` segment, no backslash or NUL. */
export function isSafeRelativePath(p: string): boolean {
  if (p === '' || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}
