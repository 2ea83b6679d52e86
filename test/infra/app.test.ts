import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, createApp } from '../../lib/stacks/app.ts';
import { temporaryOutdir } from './synthesize.ts';

describe('createApp', () => {
  it('when the stage is not dev or prod, it refuses with a message naming the stages', () => {
    // Arrange
    const options = { stage: 'qa', bundling: false, outdir: temporaryOutdir('app') };

    // Act
    const act = () => createApp(options);

    // Assert
    expect(act).toThrow(ConfigurationError);
    expect(act).toThrow(/Unknown stage "qa": pass one of dev, prod/);
  });

  it('when no stage is given at all, it refuses instead of guessing', () => {
    // Arrange
    const options = { bundling: false, outdir: temporaryOutdir('app') };

    // Act
    const act = () => createApp(options);

    // Assert
    expect(act).toThrow(/Unknown stage undefined/);
  });

  it('when the stage is prod without allowed origins, it asks for them', () => {
    // Arrange
    const options = { stage: 'prod', bundling: false, outdir: temporaryOutdir('app') };

    // Act
    const act = () => createApp(options);

    // Assert
    expect(act).toThrow(/prod needs the web origins it serves/);
  });

  it('when the stage is prod without a sender address, it asks for one', () => {
    // Arrange
    const options = {
      stage: 'prod',
      bundling: false,
      outdir: temporaryOutdir('app'),
      context: { allowedOrigins: ['https://office.field-service.example'] },
    };

    // Act
    const act = () => createApp(options);

    // Assert
    expect(act).toThrow(/prod needs the verified SES address it sends from/);
  });

  it('when the stage comes from the context, it creates the one stack of that stage', () => {
    // Arrange
    const options = {
      bundling: false,
      outdir: temporaryOutdir('app'),
      context: {
        stage: 'prod',
        allowedOrigins: 'https://office.field-service.example,https://m.field-service.example',
        senderEmail: 'office@field-service.example',
      },
    };

    // Act
    const { app, stack } = createApp(options);

    // Assert
    expect(app.node.children.filter(Stack.isStack).map((child) => child.stackName)).toEqual([
      'FieldService-Prod',
    ]);
    expect(stack.settings).toEqual({
      stage: 'prod',
      allowedOrigins: ['https://office.field-service.example', 'https://m.field-service.example'],
      senderEmail: 'office@field-service.example',
    });
    expect(stack.terminationProtection).toBe(true);
  });

  it('when the stage is dev and no origins are given, it allows every origin', () => {
    // Arrange
    const options = { stage: 'dev', bundling: false, outdir: temporaryOutdir('app') };

    // Act
    const { stack } = createApp(options);

    // Assert
    expect(stack.stackName).toBe('FieldService-Dev');
    expect(stack.settings.allowedOrigins).toEqual(['*']);
  });
});
