/* global URL */
// Bundles the built gob (dist/entry.js and everything it imports: @gob/core, @gob/ui,
// commander, pino, yaml, fast-glob) into dist/main.js and its lazily loaded chunks
// (dist/bundle-*.js). A gob process then reads and compiles a handful of files instead of ~100
// modules resolved one by one, which was 40% of a no-op build in its own process. Run by the
// build after tsc.
//
// The tsc output stays where it is and the bundle relies on it: every `import.meta.url` is
// rewritten to the URL of the module it was written in, so code that finds files next to itself
// (the schema, the build id, the native client, package.json) finds the same files. Ink and
// React (the TUI), gRPC (the remote cache), pino-pretty and ajv are loaded only when used and are
// left to Node to load from node_modules.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const dist = join(pkg, 'dist');
const root = resolve(pkg, '..', '..');
const CHUNK_PREFIX = 'bundle-';
/** Which modules went into which output file: `{ "bundle-cli-….js": ["packages/cli/dist/cli.js", …] }`. */
const META = 'bundle-modules.json';

/** Each module's `import.meta.url` as it was before bundling, relative to the chunk it ends up in. */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.m?js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      // Every output file is in dist/, so the module's path relative to dist/ is the same from
      // whichever chunk holds it.
      const rel = relative(dist, args.path).split(sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

// The previous build's output (the chunk names carry content hashes).
for (const name of readdirSync(dist)) {
  if (name === 'main.js' || name === META || (name.startsWith(CHUNK_PREFIX) && name.endsWith('.js'))) rmSync(join(dist, name));
}

let result;
try {
  result = await esbuild.build({
    absWorkingDir: root,
    metafile: true,
    entryPoints: { main: join(dist, 'entry.js') },
    outdir: dist,
    chunkNames: `${CHUNK_PREFIX}[name]-[hash]`,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: ['ink', 'react', 'react/*', 'pino-pretty', 'ajv', 'ajv/*', '@grpc/grpc-js', '@grpc/proto-loader'],
    // CommonJS dependencies (pino, commander) call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __gobCreateRequire } from 'node:module';\nconst require = __gobCreateRequire(import.meta.url);" },
    plugins: [importMetaUrl],
    logLevel: 'warning',
  });
} catch {
  // esbuild has printed what went wrong.
  process.exit(1);
}
// For tests that check what a gob process loads (packages/cli/test/modules.e2e.test.ts).
const modules = {};
for (const [out, info] of Object.entries(result.metafile.outputs)) {
  if (out.endsWith('.js')) modules[basename(out)] = Object.keys(info.inputs).sort();
}
writeFileSync(join(dist, META), `${JSON.stringify(modules, null, 1)}\n`);
