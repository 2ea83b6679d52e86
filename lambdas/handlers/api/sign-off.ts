import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  blobStore,
  clock,
  directoryStore,
  idempotencyStore,
  ids,
  photoStore,
  tenantWriteLimiter,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import { completionReportLink } from '../../domain/execution/completion-report-link.ts';
import { maxSignatureImageBytes, requestSignatureUpload } from '../../domain/execution/sign-off.ts';
import { readWorkSummary } from '../../domain/execution/work-summary.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { metrics } from '../../shared/powertools.ts';
import { signOffRoutes } from './sign-off-routes.ts';

export const handler = apiHandler(
  'signOff',
  signOffRoutes,
  {
    getWorkSummary: async ({ actor, params }) => ({
      status: 200,
      body: await readWorkSummary(
        { workOrders: workOrderStore(), directory: directoryStore(), photos: photoStore() },
        actor,
        params.id,
      ),
    }),
    requestSignatureUpload: async ({ actor, params }) => {
      const { imageKey, upload } = await requestSignatureUpload(
        { workOrders: workOrderStore(), blobs: blobStore(), ids, clock },
        actor,
        params.id,
      );
      metrics.addMetric('SignatureUploadsRequested', MetricUnit.Count, 1);
      return {
        status: 201,
        body: { imageKey, upload: { method: 'POST', ...upload, maxBytes: maxSignatureImageBytes } },
      };
    },
    getCompletionReport: async ({ actor, params }) => ({
      status: 200,
      body: await completionReportLink(
        { workOrders: workOrderStore(), blobs: blobStore(), clock },
        actor,
        params.id,
      ),
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
