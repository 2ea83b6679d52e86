import {
  catalogStore,
  clock,
  directoryStore,
  idempotencyStore,
  ids,
  jobDurationStore,
  tenantWriteLimiter,
} from '../../adapters/dependencies.ts';
import { durationEstimateFor } from '../../domain/catalog/duration-estimate.ts';
import type { ServiceType } from '../../domain/catalog/service-type.ts';
import {
  createServiceType,
  getServiceType,
  listServiceTypes,
  updateServiceType,
} from '../../domain/catalog/service-type-catalog.ts';
import { suggestServiceTypes, warmSuggesters } from '../../domain/catalog/suggest-service-types.ts';
import { checkHistoryRequest, relevantHistory } from '../../domain/work-orders/relevant-history.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { catalogRoutes } from './catalog-routes.ts';

function toServiceTypeView(serviceType: ServiceType) {
  return {
    id: serviceType.serviceTypeId,
    name: serviceType.name,
    trade: serviceType.trade,
    keywords: serviceType.keywords,
    requiredSkills: serviceType.requiredSkills,
    estimatedMinutes: serviceType.estimatedMinutes,
    prices: {
      ...(serviceType.laborRatePerHour !== undefined
        ? { laborRatePerHour: serviceType.laborRatePerHour }
        : {}),
      ...(serviceType.tripCharge !== undefined ? { tripCharge: serviceType.tripCharge } : {}),
      flatFees: serviceType.flatFees,
    },
    checklist: serviceType.checklist,
    createdAt: serviceType.createdAt,
    updatedAt: serviceType.updatedAt,
  };
}

const catalogDependencies = () => ({
  catalog: catalogStore(),
  clock,
  ids,
  onCatalogueChanged: (tenantId: string) => warmSuggesters.invalidate(tenantId),
});

export const handler = apiHandler(
  'catalog',
  catalogRoutes,
  {
    createServiceType: async ({ actor, body }) => {
      const serviceType = await createServiceType(catalogDependencies(), actor, body);
      return {
        status: 201,
        body: toServiceTypeView(serviceType),
        headers: { location: `/v1/service-types/${serviceType.serviceTypeId}` },
      };
    },
    listServiceTypes: async ({ actor }) => ({
      status: 200,
      body: { items: (await listServiceTypes(catalogStore(), actor)).map(toServiceTypeView) },
    }),
    getServiceType: async ({ actor, params }) => {
      const serviceType = await getServiceType(catalogStore(), actor, params.id);
      const durationEstimate = await durationEstimateFor(
        jobDurationStore(),
        actor.tenantId,
        serviceType.serviceTypeId,
        serviceType.estimatedMinutes,
      );
      return { status: 200, body: { ...toServiceTypeView(serviceType), durationEstimate } };
    },
    updateServiceType: async ({ actor, params, body }) => ({
      status: 200,
      body: toServiceTypeView(await updateServiceType(catalogDependencies(), actor, params.id, body)),
    }),
    suggestServiceTypes: async ({ actor, body }) => ({
      status: 200,
      body: {
        items: await suggestServiceTypes(
          { catalog: catalogStore(), clock },
          actor.tenantId,
          body.description,
          body.limit,
        ),
      },
    }),
    previewWorkOrderHistory: async ({ actor, body }) => {
      const { limit, ...request } = body;
      await checkHistoryRequest(directoryStore(), actor, request);
      const directory = directoryStore();
      const items = await relevantHistory(
        {
          history: catalogStore(),
          technicianName: async (tenantId, technicianId) =>
            (await directory.getTechnician(tenantId, technicianId))?.name,
        },
        actor.tenantId,
        request,
        limit,
      );
      return { status: 200, body: { items } };
    },
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
