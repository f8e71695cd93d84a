/**
 * Keeps libuv's thread pool from sleeping through queued work in the test processes.
 *
 * Seen once in a run of .ci/run on Debian 12 (glibc 2.36): a test worker stopped for good while
 * importing a test file — one `fs.promises` read pending, all four pool threads waiting on their
 * condition variable, the event loop idle — and went on the moment another file-system call was
 * made in it. That is the mark of a lost condition-variable wake-up (glibc has had such bugs, e.g.
 * sourceware bug 25847), which Node cannot work around. Any new pool request wakes a thread, which
 * then takes all the queued work; so every test process makes a cheap one every few seconds. It
 * cannot hide a hang of gob's own: a promise nothing settles stays unsettled.
 */
import { stat } from 'node:fs';

const POKE_EVERY_MS = 3000;

export function pokeThreadPool(): void {
  const g = globalThis as { __gobThreadPoolPoke?: NodeJS.Timeout };
  g.__gobThreadPoolPoke ??= setInterval(() => {
    stat('.', () => undefined);
  }, POKE_EVERY_MS).unref();
}

pokeThreadPool();
