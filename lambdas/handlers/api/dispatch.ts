import {
  blobStore,
  clock,
  directoryStore,
  idempotencyStore,
  locationHistoryStore,
  photoStore,
  tenantWriteLimiter,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import { readDispatchPackage } from '../../domain/dispatch/dispatch-package.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { toDispatchPackageView } from './dispatch-package-view.ts';
import { dispatchRoutes } from './dispatch-routes.ts';

export const handler = apiHandler(
  'dispatch',
  dispatchRoutes,
  {
    getDispatchPackage: async ({ actor, params }) => ({
      status: 200,
      body: toDispatchPackageView(
        await readDispatchPackage(
          {
            workOrders: workOrderStore(),
            directory: directoryStore(),
            locationHistory: locationHistoryStore(),
            photos: photoStore(),
            blobs: blobStore(),
            clock,
          },
          actor,
          params.id,
        ),
      ),
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
