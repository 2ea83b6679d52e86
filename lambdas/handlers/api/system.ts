import { idempotencyStore, tenantWriteLimiter } from '../../adapters/dependencies.ts';
import { apiHandler } from '../../shared/http-api.ts';
import type { openApiDocument } from '../../shared/openapi.ts';
import { systemRoutes } from './system-routes.ts';

let document: ReturnType<typeof openApiDocument> | undefined;

/**
 * The document is generated from the whole route table with every schema, which no other
 * route of this function needs: it is loaded on the first request for it.
 */
async function generatedDocument() {
  const { openApiDocument } = await import('../../shared/openapi.ts');
  document ??= openApiDocument();
  return document;
}

export const handler = apiHandler(
  'system',
  systemRoutes,
  {
    getHealth: async () => ({ status: 200, body: { status: 'ok' } }),
    getOpenApiDocument: async () => {
      return {
        status: 200,
        body: await generatedDocument(),
        headers: { 'cache-control': 'public, max-age=300' },
      };
    },
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
