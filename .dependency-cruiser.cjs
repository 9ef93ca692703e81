/**
 * The house plan (README "Layout", ARCHITECTURE.md) as rules that fail `npm run lint`. Imports are
 * resolved the way Node resolves them, so `@mljudge/*` workspace imports become edges between
 * packages: cycles between packages, the only likely kind, are visible here.
 */
const NETWORK_MODULES = '^(node:)?(http|https|http2|net|tls|dgram|dns|dns/promises|child_process|cluster)$';
const IO_PACKAGES =
  '^(packages/(db|queue|storage|client)/|node_modules/(bullmq|ioredis|pg|@prisma|prisma|fastify|undici|@fastify)/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles, within a package or between packages (type-only imports included).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'prisma-only-in-db',
      severity: 'error',
      comment: 'Only packages/db talks to Prisma; everything else gets functions named for what they mean.',
      from: { pathNot: '^(packages/db/|tests/|bench/)' },
      to: { path: '^(node_modules/(@prisma|prisma|pg)/|packages/db/src/generated/)' },
    },
    {
      name: 'queue-only-in-queue',
      severity: 'error',
      comment:
        'BullMQ and ioredis belong to packages/queue (the launcher may check that a Redis answers; tests and benchmarks inspect Redis).',
      from: { pathNot: '^(packages/queue/|apps/launcher/|tests/|bench/)' },
      to: { path: '^node_modules/(bullmq|ioredis)/' },
    },
    {
      name: 'apps-do-not-import-apps',
      severity: 'error',
      comment: 'An app is a process; it talks to another over HTTP or Redis, never by import.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'packages-do-not-import-apps',
      severity: 'error',
      comment: 'Libraries never import processes.',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'code-does-not-import-tests',
      severity: 'error',
      comment: 'Benchmarks may reuse the test helpers that start real processes; shipped code may not.',
      from: { path: '^(apps|packages)/' },
      to: { path: '^tests/' },
    },
    {
      name: 'tests-use-public-entry-points',
      severity: 'error',
      comment: 'Tests import an app or a package through its package name, not its internals by path.',
      from: { path: '^tests/' },
      // The entry a package.json exports: index.ts, or the CLI's main.ts.
      to: { path: '^apps/[^/]+/src/', pathNot: '^apps/([^/]+/src/index|cli/src/main)\\.ts$' },
    },
    {
      name: 'pure-libraries-do-no-io',
      severity: 'error',
      comment: 'metrics and formats are pure: no database, queue, network, processes or files.',
      from: { path: '^packages/(metrics|formats)/src/' },
      to: { path: `${IO_PACKAGES}|^packages/(scoring|grading|onnx-runner)/`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'pure-libraries-use-no-node-io',
      severity: 'error',
      from: { path: '^packages/(metrics|formats)/src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'], path: `${NETWORK_MODULES}|^(node:)?(fs|fs/promises|worker_threads)$` },
    },
    {
      name: 'scoring-is-offline',
      severity: 'error',
      comment:
        'The scorer runs the same on a laptop (mljudge score): it never touches the database, the queue or the network.',
      from: { path: '^packages/scoring/src/' },
      to: { path: IO_PACKAGES },
    },
    {
      name: 'scoring-uses-no-network',
      severity: 'error',
      from: { path: '^packages/(scoring|onnx-runner)/src/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(http|https|http2|net|tls|dgram|dns|dns/promises|cluster)$' },
    },
    {
      name: 'no-undeclared-dependencies',
      severity: 'error',
      comment: 'Every package a workspace imports is in its own package.json (hoisting hides the omission).',
      from: { path: '^(apps|packages)/', pathNot: '\\.test\\.tsx?$' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'tests-declare-their-dependencies',
      severity: 'error',
      comment: "A workspace's tests declare what they import, but the root's test tooling (vitest, fast-check).",
      from: { path: '^(apps|packages)/.*\\.test\\.tsx?$' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], pathNot: '^node_modules/(vitest|fast-check)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Prisma's generated client is a module edges may point at (prisma-only-in-db), but not crawled.
    doNotFollow: { path: '^node_modules/|^packages/db/src/generated/' },
    // Only our own build output and fixtures are left out: an npm package's files live under its
    // dist/ and in .d.ts files, and excluding those hid every import of bullmq, ioredis and Prisma
    // from the rules above.
    exclude: {
      path: '^(dist|apps/[^/]+/dist|apps/web/dist)/|^(apps|packages)/[^/]+/fixtures/|^(?!node_modules/).*\\.d\\.ts$',
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
