/** The functions of the registry (`lambdas/handlers/functions.ts`) by name, as the benchmarks look them up. */
import {
  apiFunctions,
  eventFunctions,
  type FunctionDefinition,
  scheduleFunctions,
  workflowFunctions,
} from '../../lambdas/handlers/functions.ts';

export type FunctionGroup = 'api' | 'workflow' | 'events' | 'schedules';

export const registry: Record<string, FunctionDefinition & { group: FunctionGroup }> = Object.fromEntries(
  (
    [
      ['api', apiFunctions],
      ['workflow', workflowFunctions],
      ['events', eventFunctions],
      ['schedules', scheduleFunctions],
    ] as const
  ).flatMap(([group, functions]) =>
    Object.entries(functions as Record<string, FunctionDefinition>).map(([name, definition]) => [
      name,
      { ...definition, group },
    ]),
  ),
);

/** The memory CDK gives the function: its own setting, or the construct's 512 MB. */
export const memoryMbOf = (functionName: string): number => registry[functionName]?.memorySize ?? 512;

export const isApiFunction = (functionName: string): boolean => registry[functionName]?.group === 'api';
