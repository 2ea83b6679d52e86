import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** The deployment stages. `dev` is disposable; `prod` keeps its data when the stack goes. */
export const stages = ['dev', 'prod'] as const;
export type Stage = (typeof stages)[number];

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (stages as readonly string[]).includes(value);
}

export const isProduction = (stage: Stage): boolean => stage === 'prod';

/** Data outlives a production stack; a dev stack takes everything with it. */
export const removalPolicyFor = (stage: Stage): RemovalPolicy =>
  isProduction(stage) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

/** Logs are kept long enough to investigate an incident or a billing dispute in prod. */
export const logRetentionFor = (stage: Stage): RetentionDays =>
  isProduction(stage) ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH;

/** `FieldService-Dev`, `FieldService-Prod-WorkOrder`: the names an operator sees in the console. */
export const resourceName = (stage: Stage, ...parts: string[]): string =>
  ['FieldService', stage.charAt(0).toUpperCase() + stage.slice(1), ...parts].join('-');
