import { defineRoute } from './route-definition.ts';

/** The public routes of the API itself. */
export const systemRoutes = [
  defineRoute({
    operationId: 'getHealth',
    method: 'GET',
    path: '/health',
    summary: 'Liveness of the API',
    tags: ['system'],
    function: 'system',
    auth: 'public',
    responses: { 200: { description: 'The API answers' } },
  }),
  defineRoute({
    operationId: 'getOpenApiDocument',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tags: ['system'],
    function: 'system',
    auth: 'public',
    responses: { 200: { description: 'The OpenAPI document' } },
  }),
] as const;
