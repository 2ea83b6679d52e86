import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routeKey, routes } from '../../lambdas/handlers/api/routes.ts';
import { roles } from '../../lambdas/shared/roles.ts';
import { logicalIdOf, prodOrigins, resourcesOfType, synthesize } from './synthesize.ts';

describe('Api', () => {
  const routeResources = () => {
    const { json } = synthesize('dev');
    return new Map(
      resourcesOfType(json, 'AWS::ApiGatewayV2::Route').map(([, route]) => [
        route.Properties?.RouteKey as string,
        route.Properties as Record<string, unknown>,
      ]),
    );
  };

  it('when synthesized, it has exactly one route per entry of the route table', () => {
    // Arrange
    const expected = routes.map(routeKey).sort();

    // Act
    const actual = [...routeResources().keys()].sort();

    // Assert
    expect(actual).toEqual(expected);
  });

  it.each(
    routes.map((route) => [routeKey(route), route.auth === 'public' ? 'public' : 'protected'] as const),
  )('when the route %s is %s, it has the matching authorization', (key, access) => {
    // Arrange
    const { json } = synthesize('dev');
    const [[authorizerId] = []] = resourcesOfType(json, 'AWS::ApiGatewayV2::Authorizer');

    // Act
    const route = routeResources().get(key);

    // Assert
    if (access === 'public') {
      expect(route).toMatchObject({ AuthorizationType: 'NONE' });
      expect(route).not.toHaveProperty('AuthorizerId');
    } else {
      expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it.each(routes.map((route) => [routeKey(route), route.function] as const))(
    'when %s is called, it invokes the %s function',
    (key, functionName) => {
      // Arrange
      const { json, stack } = synthesize('dev');
      const functionId = logicalIdOf(stack.functions.api[functionName].function);

      // Act
      const target = JSON.stringify(routeResources().get(key)?.Target);
      const integrationId = /"Ref":"([^"]+)"/.exec(target)?.[1] ?? '';
      const integration = json.Resources[integrationId]?.Properties;

      // Assert
      expect(integration).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::GetAtt': [functionId, 'Arn'] },
        PayloadFormatVersion: '2.0',
      });
    },
  );

  it("when synthesized, its JWT authorizer accepts ID tokens of the user pool's app client only", () => {
    // Arrange
    const { template, stack } = synthesize('dev');

    // Act & Assert
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalIdOf(stack.auth.client) }],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
              '/',
              { Ref: logicalIdOf(stack.auth.userPool) },
            ],
          ],
        },
      },
    });
  });

  it('when synthesized, its default stage is throttled and writes JSON access logs to a retained log group', () => {
    // Arrange
    const { template, json, stack } = synthesize('dev');

    // Act
    const [[, stage] = []] = resourcesOfType(json, 'AWS::ApiGatewayV2::Stage');
    const settings = stage?.Properties?.AccessLogSettings as { DestinationArn: unknown; Format: string };

    // Assert
    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: expect.any(Number),
        ThrottlingBurstLimit: expect.any(Number),
      },
    });
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack.api.accessLogGroup), 'Arn'] });
    expect(Object.keys(JSON.parse(settings.Format))).toEqual(
      expect.arrayContaining(['requestId', 'ip', 'routeKey', 'status', 'latency', 'integrationError']),
    );
    // A customer page's path is its signed link: the log keeps the route, never the path.
    expect(settings.Format).not.toContain('$context.path');
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: Match.anyValue(),
    });
  });

  it('when the stage is prod, CORS preflight allows the configured origins and the headers clients send', () => {
    // Arrange
    const { template } = synthesize('prod');

    // Act & Assert
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: prodOrigins,
        AllowHeaders: Match.arrayWith(['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match']),
      }),
    });
  });
});

describe('Auth', () => {
  it('when synthesized, the user pool is invite-only with email sign-in, a strong password policy and optional MFA', () => {
    // Arrange
    const { template } = synthesize('dev');

    // Act & Assert
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'tenantId', AttributeDataType: 'String', Mutable: false }),
        Match.objectLike({ Name: 'technicianId', AttributeDataType: 'String', Mutable: true }),
      ]),
    });
  });

  it('when synthesized, there is one group per role', () => {
    // Arrange
    const { json } = synthesize('dev');

    // Act
    const groups = resourcesOfType(json, 'AWS::Cognito::UserPoolGroup').map(
      ([, group]) => group.Properties?.GroupName,
    );

    // Assert
    expect(groups.sort()).toEqual([...roles].sort());
  });

  it('when synthesized, the app client has no secret, signs in by SRP and cannot write the custom attributes', () => {
    // Arrange
    const { json } = synthesize('dev');

    // Act
    const [[, client] = []] = resourcesOfType(json, 'AWS::Cognito::UserPoolClient');

    // Assert
    expect(client?.Properties).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    });
    const writable = client?.Properties?.WriteAttributes as string[];
    expect(writable.filter((attribute) => attribute.startsWith('custom:'))).toEqual([]);
  });

  it('when the stage is prod, the user pool is on the Plus plan with full threat protection and retained', () => {
    // Arrange
    const { template } = synthesize('prod');

    // Act & Assert
    template.hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
      }),
      DeletionPolicy: 'Retain',
    });
  });
});
