import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The Node 24 binary the benchmarks start processes with: this process's when it is one (npm
 * scripts put the `node` dev dependency first on PATH), else that dev dependency's own.
 */
export function node24(): string {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  const pinned = join(projectRoot, 'node_modules/.bin/node');
  if (existsSync(pinned)) return pinned;
  throw new Error('Node 24 is needed: run through npm (npm run bench) or install the node@24 dev dependency');
}
