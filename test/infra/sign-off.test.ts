import { describe, expect, it } from 'vitest';
import { actionsOf, logicalIdOf, resourcesOf, statementsOfRole, synthesize } from './synthesize.ts';

const tenantObjects = (bucketId: string) => [
  { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/tenants/*']] },
];

describe('sign-off', () => {
  it.each([
    [
      'the workflow steps function',
      'WorkflowStepsFunction',
      ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
    ],
    ['the sign-off API function', 'signOff', ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject']],
    ['the work order actions function', 'workOrderActions', ['s3:GetObject', 's3:GetObjectVersion']],
  ] as const)(
    'when synthesized, %s may touch objects under tenants/ only, and delete none',
    (_, name, expected) => {
      // Arrange
      const { json, stack } = synthesize('dev');
      const bucketId = logicalIdOf(stack.data.bucket);
      const fn =
        name === 'WorkflowStepsFunction' ? stack.functions.workflow[name] : stack.functions.api[name];

      // Act
      const statements = statementsOfRole(json, fn).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('s3:')),
      );

      // Assert
      expect(statements.flatMap(actionsOf).sort()).toEqual([...expected]);
      for (const statement of statements) expect(resourcesOf(statement)).toEqual(tenantObjects(bucketId));
    },
  );
});
