import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { apiFunctions } from '../../lambdas/handlers/functions.ts';
import { ServiceFunction } from '../../lib/constructs/functions.ts';
import { defaultProjectRoot } from '../../lib/stacks/app.ts';
import { type CloudFormationTemplate, logicalIdOf, propertiesOf, temporaryOutdir } from './synthesize.ts';

describe('ServiceFunction bundling', () => {
  it('when the system function is bundled with the local esbuild, it is a minified ESM module with a source map and require', () => {
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
    expect(bundle).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
    expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    expect(existsSync(join(bundleDirectory, 'index.mjs.map'))).toBe(true);
    // Minified code is a few very long lines; unminified esbuild output averages well under 60 characters.
    const averageLineLength = bundle.length / bundle.split('\n').length;
    expect(averageLineLength).toBeGreaterThan(200);
  });
});
