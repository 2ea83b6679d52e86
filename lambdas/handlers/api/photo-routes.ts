import { photoUploadView, photoView, requestPhotoUploadBody } from '../../schemas/photos.ts';
import { pageOf, workOrderIdParams } from '../../schemas/work-orders.ts';
import { everyone } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

/** Photos of work orders: upload forms and downloads. */
export const photoRoutes = [
  defineRoute({
    operationId: 'requestPhotoUpload',
    method: 'POST',
    path: '/v1/work-orders/{id}/photos',
    summary:
      'A presigned form that uploads one photo (JPEG, PNG, HEIC or WebP, at most 10 MB) straight to storage; the photo is listed once it has arrived and passed its checks',
    tags: ['field work'],
    function: 'photos',
    auth: { roles: everyone },
    request: { params: workOrderIdParams, body: requestPhotoUploadBody },
    responses: { 201: { description: 'The upload form', schema: photoUploadView } },
  }),
  defineRoute({
    operationId: 'listPhotos',
    method: 'GET',
    path: '/v1/work-orders/{id}/photos',
    summary: 'The photos of a work order, each with a download link valid for 15 minutes',
    tags: ['field work'],
    function: 'photos',
    auth: { roles: everyone },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The photos, oldest first', schema: pageOf(photoView, 'PhotoPage') } },
  }),
] as const;
