/**
 * The planner's file system, recorded: the same answers as the real disk (`nodeGoIO`,
 * `nodeWorkspaceFs`, the module loader's IO, the BUILD.yaml search's listings), each read noted
 * in an `ObservationRecorder`. Headers and digests of Go files come from the FileHasher, which
 * keeps its own record (`FileHasher.answered`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GoDirEntry, GoIO } from '../golang/io.js';
import type { ModulesIO } from '../golang/modules.js';
import type { WorkspacePath } from '../types.js';
import { toWorkspacePath } from '../util/fs-paths.js';
import type { DiscoveryFs } from '../workspace/discover.js';
import type { WorkspaceFs } from '../workspace/fs.js';
import type { ObservationRecorder } from './observations.js';

/** The directory-listing half of GoIO, recorded (headers are the hasher's business). */
export function recordingGoIO(rec: ObservationRecorder, headers: GoIO['readHeader']): GoIO {
  return {
    readdir: (dir) => Promise.resolve(listGoDir(rec, dir)),
    readHeader: headers,
    readdirSync: (dir) => listGoDir(rec, dir),
  };
}

function listGoDir(rec: ObservationRecorder, dir: WorkspacePath): GoDirEntry[] | undefined {
  const entries = rec.listDir(dir);
  if (entries === undefined) return undefined;
  return entries.map((d): GoDirEntry => {
    if (!d.isSymbolicLink()) return { name: d.name, isDir: d.isDirectory(), isFile: d.isFile(), isSymlink: false };
    const target = rec.types.get(dir === '' ? d.name : `${dir}/${d.name}`);
    return { name: d.name, isDir: target === 'dir', isFile: target === 'file', isSymlink: true };
  });
}

export function recordingModulesIO(rec: ObservationRecorder): ModulesIO {
  return {
    readFile: (p) => Promise.resolve(rec.readConfigFile(p)),
    readdir: (d) => Promise.resolve(listGoDir(rec, d)),
    readdirSync: (d) => listGoDir(rec, d),
    exists: (p) => Promise.resolve(rec.typeOf(p) === 'file'),
  };
}

/** The workspace loader's file system (absolute paths inside the workspace root), recorded. */
export function recordingWorkspaceFs(rec: ObservationRecorder): WorkspaceFs {
  const rel = (abs: string): WorkspacePath | undefined => {
    const r = toWorkspacePath(rec.root, abs);
    if (r === '..' || r.startsWith('../') || path.isAbsolute(r)) {
      rec.markIncomplete(`read outside the workspace: ${abs}`);
      return undefined;
    }
    return r;
  };
  return {
    readFile: (abs) => {
      const r = rel(abs);
      const text = r === undefined ? fs.readFileSync(abs, 'utf8') : rec.readConfigFile(r);
      if (text === undefined) return Promise.reject(Object.assign(new Error(`ENOENT: no such file, open '${abs}'`), { code: 'ENOENT' }));
      return Promise.resolve(text);
    },
    entryKind: (abs) => {
      const r = rel(abs);
      if (r === undefined) return Promise.resolve(undefined);
      const t = rec.typeOf(r);
      return Promise.resolve(t === undefined ? undefined : t === 'dir' ? 'directory' : t);
    },
    subdirectories: (abs) => {
      const r = rel(abs);
      const entries = r === undefined ? [] : (rec.listDir(r) ?? []);
      return Promise.resolve(entries.filter((e) => e.isDirectory()).map((e) => e.name));
    },
  };
}

/**
 * The search for BUILD.yaml files, its directory listings recorded. A directory outside the
 * workspace is listed but makes the record incomplete (gob then plans from scratch next time:
 * slower, never wrong).
 */
export function recordingDiscoveryFs(rec: ObservationRecorder): DiscoveryFs {
  return {
    readdirSync(dir, opts) {
      const r = toWorkspacePath(rec.root, dir);
      if (r.startsWith('..') || path.isAbsolute(r)) {
        rec.markIncomplete(`could not record the listing of ${dir}`);
        return fs.readdirSync(dir, opts);
      }
      let entries: fs.Dirent[] | undefined;
      try {
        entries = rec.listDir(r);
      } catch (e) {
        rec.markIncomplete(`could not record the listing of ${dir}`);
        throw e;
      }
      if (entries === undefined) throw Object.assign(new Error(`ENOENT: no such directory, scandir '${dir}'`), { code: 'ENOENT' });
      return entries;
    },
  };
}
