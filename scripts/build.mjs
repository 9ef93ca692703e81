/**
 * Builds what production runs: one ESM bundle per entry point with esbuild, into dist/. Our own
 * packages are compiled in; npm packages stay external (they are installed beside it). The CLI is
 * built apart as one standalone file with every dependency inside (but onnxruntime-node and sharp,
 * native, optional and loaded only to score a model or images, and @jsquash/jpeg, which reads its
 * .wasm from its own folder), so it installs and starts without the monorepo.
 * Type checking is `npm run typecheck`; this only transpiles.
 */
import { readFile, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS code calls require(): give the ESM output one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
};

/** npm packages stay outside the service bundles; @mljudge/* workspaces are compiled in. */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@mljudge/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

// One list of entry points for the build, Docker and the deploy test: scripts/entry-points.json.
const entryPoints = JSON.parse(await readFile(new URL('./entry-points.json', import.meta.url), 'utf8'));

await Promise.all(['dist', 'apps/cli/dist'].map((folder) => rm(folder, { recursive: true, force: true })));
await Promise.all([
  build({ ...common, entryPoints: entryPoints.services, outdir: 'dist', plugins: [externalNpmPackages] }),
  build({
    ...common,
    entryPoints: entryPoints.cli,
    outdir: 'apps/cli/dist',
    outExtension: { '.js': '.mjs' },
    // Smaller source compiles faster: a command that touches no network starts in about node's own time.
    minify: true,
    external: ['onnxruntime-node', 'sharp', '@jsquash/jpeg'],
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  }),
]);
