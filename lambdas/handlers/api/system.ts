import { idempotencyStore, tenantWriteLimiter } from '../../adapters/dependencies.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { openApiDocument } from '../../shared/openapi.ts';

let document: ReturnType<typeof openApiDocument> | undefined;

export const handler = apiHandler(
  'system',
  {
    getHealth: async () => ({ status: 200, body: { status: 'ok' } }),
    getOpenApiDocument: async () => {
      document ??= openApiDocument();
      return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
    },
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
