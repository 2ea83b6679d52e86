import { completionReportLinkView, signatureUploadView, workSummaryView } from '../../schemas/sign-off.ts';
import { emptyBody, workOrderIdParams } from '../../schemas/work-orders.ts';
import { everyone } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

/** Sign-off: the work summary the customer signs, signature images, the completion report. */
export const signOffRoutes = [
  defineRoute({
    operationId: 'getWorkSummary',
    method: 'GET',
    path: '/v1/work-orders/{id}/summary',
    summary:
      'The work summary as it stands (notes, photos, parts, labor) with its SHA-256 hash; once signed, the hash signed and whether the work changed since',
    tags: ['sign-off'],
    function: 'signOff',
    auth: { roles: everyone },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The summary and its hash', schema: workSummaryView } },
  }),
  defineRoute({
    operationId: 'requestSignatureUpload',
    method: 'POST',
    path: '/v1/work-orders/{id}/signature-upload',
    summary:
      'A presigned form that uploads one signature image (PNG, at most 256 KB) while the work order can be completed; complete names its imageKey',
    tags: ['sign-off'],
    function: 'signOff',
    auth: { roles: everyone },
    request: { params: workOrderIdParams, body: emptyBody },
    responses: { 201: { description: 'The upload form and the key', schema: signatureUploadView } },
  }),
  defineRoute({
    operationId: 'getCompletionReport',
    method: 'GET',
    path: '/v1/work-orders/{id}/completion-report',
    summary:
      'A link, valid for 15 minutes, to the completion report PDF the workflow wrote at completion (409 until it is written)',
    tags: ['sign-off'],
    function: 'signOff',
    auth: { roles: everyone },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The download link', schema: completionReportLinkView } },
  }),
] as const;
