import { resolve } from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * ESM bundles have no `require`; some dependencies still call it for Node built-ins.
 * The alias keeps the banner from colliding with a bundled `createRequire` import.
 */
const requireShim =
  "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);";

/** The file the Lambda runtime loads (`index.handler`); the chunks it imports sit beside it. */
export const bundleEntryFile = 'index.mjs';

/**
 * NODE_OPTIONS of every function. Stack traces are mapped to the TypeScript sources by the
 * source map of each loaded file.
 */
export const functionNodeOptions = '--enable-source-maps';

/**
 * How every Lambda function is bundled, by CDK at synth and by the cold-start benchmark alike:
 * an ESM bundle for Node 24, minified, with source maps, the AWS SDK included (the version is the
 * one tested, helpers such as the presigned POST are not in the runtime, and one minified file
 * loads faster than the runtime's copy). Code splitting puts what a handler imports dynamically
 * (Stripe, the PDF renderer, the S3 client and their like) in chunks of their own, read from disk
 * on first use: a function loads at cold start only what every request of it needs.
 */
export function functionBundleOptions(projectRoot: string, entry: string, outdir: string): BuildOptions {
  return {
    absWorkingDir: projectRoot,
    entryPoints: { index: resolve(projectRoot, entry) },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'node24',
    platform: 'node',
    minify: true,
    sourcemap: true,
    mainFields: ['module', 'main'],
    banner: { js: requireShim },
    external: [],
    logLevel: 'warning',
  };
}
