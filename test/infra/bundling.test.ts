import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { apiFunctions } from '../../lambdas/handlers/functions.ts';
import { ServiceFunction } from '../../lib/constructs/functions.ts';
import { defaultProjectRoot } from '../../lib/stacks/app.ts';
import { type CloudFormationTemplate, logicalIdOf, propertiesOf, temporaryOutdir } from './synthesize.ts';

describe('ServiceFunction bundling', () => {
  it('when the system function is bundled with the local esbuild, it is a minified ESM module with require and its names as written, without source maps', () => {
    // Arrange
    const app = new App({ outdir: temporaryOutdir('bundle') });
    const stack = new Stack(app, 'Bundling');
    const fn = new ServiceFunction(stack, 'System', {
      stage: 'dev',
      projectRoot: defaultProjectRoot,
      entry: apiFunctions.system.entry,
      description: apiFunctions.system.description,
      invocation: 'synchronous',
    });

    // Act
    const assembly = app.synth();
    const json = assembly.getStackByName('Bundling').template as CloudFormationTemplate;
    const properties = propertiesOf(json, logicalIdOf(fn.function));
    const objectKey = (properties.Code as { S3Key: string }).S3Key;
    const bundleDirectory = join(assembly.directory, `asset.${objectKey.replace(/\.zip$/, '')}`);
    const bundle = readFileSync(join(bundleDirectory, 'index.mjs'), 'utf8');

    // Assert
    expect(properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs24.x' });
    expect(bundle.startsWith("import { createRequire as createRequireForBundle } from 'node:module';")).toBe(
      true,
    );
    expect(bundle).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
    expect(bundle).not.toContain('sourceMappingURL');
    expect(existsSync(join(bundleDirectory, 'index.mjs.map'))).toBe(false);
    expect(properties).not.toHaveProperty('Environment.Variables.NODE_OPTIONS');
    // Names are kept, so that a stack trace names the functions it went through.
    expect(bundle).toMatch(/\bgeneratedDocument\b/);
    // Minified code is a few very long lines; unminified esbuild output averages well under 60 characters.
    const averageLineLength = bundle.length / bundle.split('\n').length;
    expect(averageLineLength).toBeGreaterThan(200);
  });

  it('when two functions are bundled in one app, each gets its own bundle, and what a handler imports on first use stays out of what it loads at init', () => {
    // Arrange
    const app = new App({ outdir: temporaryOutdir('bundles') });
    const stack = new Stack(app, 'Bundles');
    const [system, payments] = (['system', 'payments'] as const).map(
      (name) =>
        new ServiceFunction(stack, name, {
          stage: 'dev',
          projectRoot: defaultProjectRoot,
          entry: apiFunctions[name].entry,
          description: apiFunctions[name].description,
          invocation: 'synchronous',
        }),
    );

    // Act
    const assembly = app.synth();
    const json = assembly.getStackByName('Bundles').template as CloudFormationTemplate;
    const directoryOf = (fn: ServiceFunction) => {
      const objectKey = (propertiesOf(json, logicalIdOf(fn.function)).Code as { S3Key: string }).S3Key;
      return join(assembly.directory, `asset.${objectKey.replace(/\.zip$/, '')}`);
    };
    const entryOf = (directory: string) => readFileSync(join(directory, 'index.mjs'), 'utf8');
    /** The entry file and every chunk it imports statically, transitively: what loads at init. */
    const loadedAtInit = (directory: string) => {
      const seen = new Set<string>();
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        const code = readFileSync(join(directory, file), 'utf8');
        for (const match of code.matchAll(
          /(?:import|export)\s*(?:[^'"()]*?\bfrom\s*)?["'](\.\.?\/[^"']+)["']/g,
        )) {
          const relative = match[1]!.replace(/^\.\//, '');
          visit(
            file.includes('/')
              ? join(file.split('/')[0]!, relative).replace(/^chunks\/\.\.\//, '')
              : relative,
          );
        }
      };
      visit('index.mjs');
      return [...seen];
    };
    const stripeApiHost = 'api.stripe.com';
    const paymentsDirectory = directoryOf(payments!);
    const atInit = loadedAtInit(paymentsDirectory);
    const chunks = readdirSync(join(paymentsDirectory, 'chunks')).filter((file) => file.endsWith('.mjs'));

    // Assert
    expect(directoryOf(system!)).not.toBe(paymentsDirectory);
    expect(entryOf(directoryOf(system!))).toMatch(/\bgeneratedDocument\b/);
    expect(entryOf(paymentsDirectory)).not.toMatch(/\bgeneratedDocument\b/);
    expect(atInit.length).toBeGreaterThan(1);
    expect(
      atInit.filter((file) => readFileSync(join(paymentsDirectory, file), 'utf8').includes(stripeApiHost)),
    ).toEqual([]);
    expect(
      chunks.some((file) =>
        readFileSync(join(paymentsDirectory, 'chunks', file), 'utf8').includes(stripeApiHost),
      ),
    ).toBe(true);
  });
});
