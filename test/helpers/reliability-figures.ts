import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeEach, onTestFailed } from 'vitest';

/**
 * The figures of one test file for the README's Reliability section (requests sent at once,
 * faults injected…), counted as the tests run, with the tests that failed; written to
 * `test-results/<name>.json` when the file ends.
 */
export function reliabilityFigures<T extends Record<string, number>>(
  name: string,
  counts: T,
): T & { failures: number } {
  const figures = { ...counts, failures: 0 };
  beforeEach(() => {
    onTestFailed(() => {
      figures.failures += 1;
    });
  });
  afterAll(async () => {
    await mkdir('test-results', { recursive: true });
    await writeFile(`test-results/${name}.json`, `${JSON.stringify(figures, null, 2)}\n`);
  });
  return figures;
}
