import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { type RouteDefinition, routes } from '../handlers/api/routes.ts';
import { problemSchema } from '../schemas/common.ts';

const problemResponses = {
  400: 'Invalid request: the errors name each field',
  401: 'No valid bearer token',
  403: 'The role may not do this',
  404: 'No such resource in this tenant',
  409: 'Wrong state or stale version',
  422: 'A stage gate refused, or the Idempotency-Key was used with another request',
} as const;

/** Refusals only a write can get. */
const writeProblemResponses = {
  429: "The tenant's changes this minute are at its limit: retry after the Retry-After seconds",
} as const;

/** A page for people: HTML, whatever it shows. */
const htmlPage = z.string().meta({ description: 'An HTML page' });

/** The OpenAPI 3.1 document of the route table: the API's contract (its customer pages included, as HTML). */
export function openApiDocument(serverUrl = '/') {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  for (const route of routes as readonly RouteDefinition[]) {
    const isPublic = route.auth === 'public';
    const request = route.request;
    registry.registerPath({
      operationId: route.operationId,
      method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: route.path,
      summary: route.summary,
      tags: route.tags,
      ...(isPublic ? { security: [] } : { security: [{ bearer: [] }] }),
      ...(isPublic ? {} : { description: `Roles: ${(route.auth as { roles: string[] }).roles.join(', ')}` }),
      request: {
        ...(request?.params ? { params: request.params as z.ZodObject } : {}),
        ...(request?.query ? { query: request.query as z.ZodObject } : {}),
        ...(request?.body
          ? {
              body: {
                content: {
                  [route.page ? 'application/x-www-form-urlencoded' : 'application/json']: {
                    schema: request.body,
                  },
                },
                required: !route.page,
              },
            }
          : {}),
        ...(route.method === 'POST' && !route.page
          ? {
              headers: z.object({
                'Idempotency-Key': z
                  .string()
                  .max(255)
                  .optional()
                  .meta({ description: 'Repeats with the same key and body return the first response' }),
              }),
            }
          : {}),
      } as never,
      responses: {
        ...Object.fromEntries(
          Object.entries(route.responses).map(([status, response]) => [
            status,
            {
              description: response.description,
              ...(response.schema ? { content: { 'application/json': { schema: response.schema } } } : {}),
              ...(route.page && status !== '303' ? { content: { 'text/html': { schema: htmlPage } } } : {}),
            },
          ]),
        ),
        ...(isPublic
          ? {}
          : Object.fromEntries(
              Object.entries({
                ...problemResponses,
                ...(route.method === 'GET' ? {} : writeProblemResponses),
              }).map(([status, description]) => [
                status,
                { description, content: { 'application/problem+json': { schema: problemSchema } } },
              ]),
            )),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Field Service Work Orders API',
      version: '1.0.0',
      description: 'Work orders from the first call to payment. Errors are RFC 9457 problem documents.',
    },
    servers: [{ url: serverUrl }],
  });
}
