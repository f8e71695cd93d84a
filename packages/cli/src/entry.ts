/**
 * gob's entry point. `gob build` goes to the workspace's gob server when one may be used
 * (server/client.ts: that path loads next to nothing), everything else — and a build no server
 * can take — runs in this process (cli.ts). The build bundles this module and what it imports
 * into dist/main.js (scripts/bundle.mjs); the dynamic imports stay separate chunks, loaded only
 * on their path.
 */
import { runInServer, wantsServer } from './server/client.js';

const argv = process.argv.slice(2);

// A reader that goes away (`gob build --ui=json | head -1`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

let code = wantsServer(argv, process.env) ? await runInServer(argv, process.cwd(), process.env) : undefined;
if (code === undefined) {
  const [{ runCli }, { processIo }] = await Promise.all([import('./cli.js'), import('./io.js')]);
  code = await runCli(argv, processIo());
}
process.exitCode = code;
