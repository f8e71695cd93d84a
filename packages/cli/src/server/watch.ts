import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { ChangeHints, PlanSnapshot } from '@gob/core';

/**
 * The gob server's file watcher: it tells the engine which files may have changed since a plan
 * snapshot was last checked, so that a build stats those instead of every file of the workspace
 * (`ChangeHints`). The watching is done by the native client's `--gob-watch` mode (inotify, in
 * native/watch_linux.go), which, unlike Node's fs.watch, says when events were lost.
 *
 * It vouches for a snapshot only after checking every entry of it once while all the
 * directories the snapshot records were already being watched; from then on, every event in
 * those directories is collected for it until the next build asks. Whatever it cannot account
 * for — lost events, a watched directory removed, replaced or renamed, a directory it could not
 * watch, the helper gone, a sync that does not come back — makes it vouch for nothing, and the
 * next build checks every file again. Before each answer, a sync through the helper makes sure
 * that every change made before the build started has been reported.
 */
export interface WatcherOptions {
  /** The native client (`dist/gob-client`). */
  readonly helper: string;
  readonly log: (line: string) => void;
}

/** How long a sync may take before the watcher is given up. */
const SYNC_TIMEOUT_MS = 5000;
/** Snapshots (distinct requests) vouched for at once. */
const MAX_TRUSTED = 16;
/** Changed paths kept for one snapshot; beyond them, its next build checks every file. */
const MAX_CHANGED = 20_000;

interface Trusted {
  readonly root: string;
  /** The files of the snapshot last checked; undefined while a check runs (or after one failed). */
  files: PlanSnapshot['files'] | undefined;
  /** Absolute paths with events since the last answer. */
  changed: Set<string>;
}

export class SnapshotWatcher implements ChangeHints {
  readonly #opts: WatcherOptions;
  #child: ChildProcess | undefined;
  #dead = false;
  #nextId = 1;
  /** Watch id → absolute directory, and back. */
  readonly #dirs = new Map<number, string>();
  readonly #watched = new Map<string, number>();
  readonly #trusted = new Map<string, Trusted>();
  #syncSeq = 0;
  readonly #syncs = new Map<number, () => void>();
  #toldUnwatchable = false;

  constructor(opts: WatcherOptions) {
    this.#opts = opts;
  }

  /** A watcher when this platform and gob build have one, else undefined. */
  static create(opts: WatcherOptions): SnapshotWatcher | undefined {
    if (process.platform !== 'linux' || !fs.existsSync(opts.helper)) return undefined;
    return new SnapshotWatcher(opts);
  }

  async changedSince(snap: PlanSnapshot): Promise<ReadonlySet<string> | undefined> {
    const child = this.#start();
    if (child === undefined) return undefined;
    const t = this.#trusted.get(snap.request);
    if (t !== undefined && t.files === snap.files && t.root === snap.root) {
      if (!(await this.#sync())) return undefined;
      // Something it cannot account for happened meanwhile.
      if (this.#trusted.get(snap.request) !== t) return undefined;
      const changed = t.changed;
      t.changed = new Set();
      // Vouched for again only once this check succeeds (`checked`): a check that finds the plan
      // stale has used up these changes, and the next build must not take the old plan for good.
      t.files = undefined;
      const prefix = snap.root.endsWith('/') ? snap.root : `${snap.root}/`;
      const rel = new Set<string>();
      for (const abs of changed) {
        if (abs === snap.root) rel.add('');
        else if (abs.startsWith(prefix)) rel.add(abs.slice(prefix.length));
      }
      return rel;
    }
    // Not vouched for: watch every directory the snapshot's entries are in; the full check the
    // caller makes now starts the record.
    const wanted = watchSet(snap);
    for (const dir of wanted) {
      if (this.#watched.has(dir)) continue;
      const id = this.#nextId++;
      this.#dirs.set(id, dir);
      this.#watched.set(dir, id);
      child.stdin?.write(`w ${String(id)} ${JSON.stringify(dir)}\n`);
    }
    this.#trusted.delete(snap.request);
    if (!(await this.#sync())) return undefined;
    // A directory that could not be watched (x) was dropped from #watched.
    for (const dir of wanted) if (!this.#watched.has(dir)) return undefined;
    this.#trusted.set(snap.request, { root: snap.root, files: undefined, changed: new Set() });
    while (this.#trusted.size > MAX_TRUSTED) this.#trusted.delete(this.#trusted.keys().next().value as string);
    return undefined;
  }

  checked(before: PlanSnapshot, after: PlanSnapshot): void {
    const t = this.#trusted.get(before.request);
    if (t === undefined || after.request !== before.request || after.root !== t.root) return;
    t.files = after.files;
  }

  /** Stops the helper. */
  close(): void {
    this.#dead = true;
    this.#child?.stdin?.end();
    this.#child?.kill();
    this.#forget();
  }

  #start(): ChildProcess | undefined {
    if (this.#dead) return undefined;
    if (this.#child !== undefined) return this.#child;
    const child = spawn(this.#opts.helper, ['--gob-watch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    child.on('error', (e) => {
      this.#give(`the file watcher did not start: ${e.message}`);
    });
    child.on('exit', (code, sig) => {
      if (!this.#dead) this.#give(`the file watcher exited (${sig ?? String(code)})`);
    });
    child.stdin?.on('error', () => undefined);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      this.#opts.log(`file watcher: ${d.trimEnd()}`);
    });
    if (child.stdout !== null) {
      readline.createInterface({ input: child.stdout }).on('line', (l) => {
        this.#line(l);
      });
    }
    return child;
  }

  #line(line: string): void {
    const [op, a, ...rest] = line.split(' ');
    switch (op) {
      case 's': {
        const done = this.#syncs.get(Number(a));
        this.#syncs.delete(Number(a));
        done?.();
        return;
      }
      case 'c': {
        const dir = this.#dirs.get(Number(a));
        if (dir === undefined) return;
        const abs = path.join(dir, JSON.parse(rest.join(' ')) as string);
        // A directory of the record itself was created, removed, renamed or re-permissioned:
        // everything under it may differ.
        if (this.#watched.has(abs)) {
          this.#forget();
          return;
        }
        for (const t of this.#trusted.values()) {
          t.changed.add(abs);
          // Its directory's listing, when a name came or went.
          t.changed.add(dir);
          // A checkout of another branch: checking every file is cheaper than keeping the list.
          if (t.changed.size > MAX_CHANGED) {
            this.#forget();
            return;
          }
        }
        return;
      }
      case 'd':
      case 'x': {
        const dir = this.#dirs.get(Number(a));
        if (dir !== undefined) {
          this.#dirs.delete(Number(a));
          this.#watched.delete(dir);
        }
        if (op === 'x' && !this.#toldUnwatchable) {
          // Once: a file system it does not trust, or the inotify watch limit, fails every directory.
          this.#toldUnwatchable = true;
          this.#opts.log(`file watcher: cannot watch ${dir ?? '?'} (${JSON.parse(rest.join(' ') || '""') as string}); builds that need it check every file`);
        }
        this.#forget();
        return;
      }
      default:
        // 'o' (events lost) and anything unexpected.
        this.#forget();
    }
  }

  /** Answers once every event before now has been read; false if the watcher is gone. */
  #sync(): Promise<boolean> {
    const child = this.#child;
    if (child === undefined || this.#dead) return Promise.resolve(false);
    const n = ++this.#syncSeq;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#syncs.delete(n);
        this.#give('the file watcher did not answer');
        resolve(false);
      }, SYNC_TIMEOUT_MS);
      this.#syncs.set(n, () => {
        clearTimeout(timer);
        resolve(!this.#dead);
      });
      child.stdin?.write(`s ${String(n)}\n`);
    });
  }

  /** Vouches for nothing: the next build of each snapshot checks every file. */
  #forget(): void {
    this.#trusted.clear();
  }

  /** Stops using the watcher for good. */
  #give(why: string): void {
    if (this.#dead) return;
    this.#opts.log(`${why}; builds check every file from now on`);
    this.#dead = true;
    this.#forget();
    this.#child?.kill();
    for (const done of this.#syncs.values()) done();
    this.#syncs.clear();
  }
}

/**
 * Every directory a change to the snapshot's entries shows up in: the parent of every file,
 * directory and absent path it records, the directories themselves, and all their ancestors up
 * to the root — so that a renamed or replaced directory anywhere above an entry is seen too.
 */
export function watchSet(snap: PlanSnapshot): Set<string> {
  const out = new Set<string>();
  const add = (rel: string): void => {
    for (let d: string | undefined = rel; d !== undefined; d = parentOf(d)) {
      const abs = d === '' ? snap.root : path.join(snap.root, d);
      if (out.has(abs)) return;
      out.add(abs);
    }
  };
  for (const f of snap.files) add(parentOf(f[0]) ?? '');
  for (const d of snap.dirs) add(d[0]);
  for (const p of snap.missing) add(parentOf(p) ?? '');
  for (const [p] of snap.types) add(parentOf(p) ?? '');
  return out;
}

/** The parent of a workspace path ('' for the root's children), undefined for the root. */
function parentOf(rel: string): string | undefined {
  if (rel === '') return undefined;
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}
