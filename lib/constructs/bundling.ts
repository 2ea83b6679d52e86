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
 * How every Lambda function is bundled, by CDK at synth and by the cold-start benchmark alike:
 * an ESM bundle for Node 24, the AWS SDK included (the version is the one tested, helpers such as
 * the presigned POST are not in the runtime, and a bundle loads faster than the runtime's copy).
 * Code splitting puts what a handler imports dynamically (Stripe, the PDF renderer, the S3 client
 * and their like) in chunks of their own, read from disk on first use: a function loads at cold
 * start only what every request of it needs. Whitespace and syntax are minified but names are
 * kept, and there are no source maps: a stack trace names the functions it went through as
 * written, and Node does not read megabytes of maps at every cold start (30–50 ms with
 * `--enable-source-maps`, README Performance).
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
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: false,
    sourcemap: false,
    mainFields: ['module', 'main'],
    banner: { js: requireShim },
    external: [],
    logLevel: 'warning',
  };
}
