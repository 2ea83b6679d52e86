/**
 * Module hooks (registered by `platform-probe.ts` with `module.register`) that put a timer
 * around every Lambda entry the local platform loads: the entry's module is replaced by one
 * that re-exports it, with `handler` wrapped by `invocations.ts`. So each handler call — API,
 * workflow task, event, schedule — is one invocation, timed and named as the registry names it,
 * whichever part of the local runtime makes the call.
 */
import type { InitializeHook, LoadHook } from 'node:module';

export interface LambdaHooksData {
  /** Entry file URL → function name in the registry. */
  functions: Record<string, string>;
  /** URL of `invocations.ts`, which records the calls. */
  invocationsUrl: string;
}

const originalMarker = 'lambda-entry=original';
let functions: Record<string, string> = {};
let invocationsUrl = '';

export const initialize: InitializeHook<LambdaHooksData> = (data) => {
  functions = data.functions;
  invocationsUrl = data.invocationsUrl;
};

export const load: LoadHook = async (url, context, nextLoad) => {
  const functionName = functions[url];
  if (functionName === undefined) return nextLoad(url, context);
  const original = JSON.stringify(`${url}?${originalMarker}`);
  return {
    format: 'module',
    shortCircuit: true,
    source: [
      `import * as entry from ${original};`,
      `import { timedHandler } from ${JSON.stringify(invocationsUrl)};`,
      `export * from ${original};`,
      `export const handler = timedHandler(${JSON.stringify(functionName)}, entry.handler);`,
    ].join('\n'),
  };
};
