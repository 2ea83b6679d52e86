#!/usr/bin/env node
/**
 * The CDK app the CLI runs (see cdk.json): `npx cdk synth -c stage=dev|prod`.
 */
import { ConfigurationError, createApp } from '../lib/stacks/app.ts';

try {
  const { app } = createApp();
  app.synth();
} catch (error) {
  // A wrong setting is the caller's to fix: say what to pass, without a stack trace.
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
