import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../lambdas/handlers/api/routes.ts';
import type { ApiFunctionName } from '../../lambdas/handlers/functions.ts';
import { isProduction, logRetentionFor, removalPolicyFor, resourceName, type Stage } from './stage.ts';

export interface ApiProps {
  readonly stage: Stage;
  /** The route table: one HTTP API route per entry. */
  readonly routes: readonly Pick<RouteDefinition, 'operationId' | 'method' | 'path' | 'function' | 'auth'>[];
  readonly functions: Readonly<Record<ApiFunctionName, { readonly function: IFunction }>>;
  /** `iss` of the tokens the API accepts. */
  readonly issuerUrl: string;
  /** `aud` of the ID tokens the clients send: the app client id. */
  readonly audience: string;
  readonly allowedOrigins: readonly string[];
}

/**
 * One line of JSON per request, with what it takes to trace a failure back to a Lambda log. The
 * route key, not the path: a customer page's path carries its signed link, which no log keeps.
 */
const accessLogFields = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
  authorizerError: '$context.authorizer.error',
};

/**
 * The HTTP API: a route per entry of the route table, each integrated with its function; every
 * route that is not public needs a JWT from the user pool. Throttled and access-logged.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  readonly accessLogGroup: LogGroup;
  /** By operation id, for tests and alarms. */
  readonly routes: Record<string, HttpRoute>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { stage } = props;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: resourceName(stage, 'Api'),
      description: 'Field service work orders',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.allowedOrigins],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PUT,
          CorsHttpMethod.PATCH,
          CorsHttpMethod.DELETE,
          CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match'],
        exposeHeaders: ['ETag', 'Location'],
        maxAge: Duration.days(1),
      },
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogGroup', {
      retention: logRetentionFor(stage),
      removalPolicy: removalPolicyFor(stage),
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: isProduction(stage)
        ? { rateLimit: 200, burstLimit: 400 }
        : { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.issuerUrl, {
      authorizerName: 'CognitoJwt',
      jwtAudience: [props.audience],
    });
    const noAuthorizer = new HttpNoneAuthorizer();

    const integrations = new Map<ApiFunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: ApiFunctionName): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        // One invoke permission per function for this API's routes, not one per route: a
        // permission per route (over a hundred) would take the stack past CloudFormation's
        // 500-resource limit, and the function serves only the routes the registry gives it.
        integration = new HttpLambdaIntegration(`${name}Integration`, props.functions[name].function, {
          scopePermissionToRoute: false,
        });
        integrations.set(name, integration);
      }
      return integration;
    };

    this.routes = {};
    for (const route of props.routes) {
      const isPublic = route.auth === 'public';
      const authorizer: IHttpRouteAuthorizer = isPublic ? noAuthorizer : this.authorizer;
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationFor(route.function),
        authorizer,
      });
      if (!created) throw new Error(`No route was created for ${route.operationId}`);
      this.routes[route.operationId] = created;
      if (isPublic) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design in the route table (health, API description, a customer link page, which checks its own signed token, or a payment provider's webhook, which checks its own signature).`,
        });
      }
    }
  }

  get url(): string {
    return this.stage.url;
  }
}
