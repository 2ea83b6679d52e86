import { randomBytes } from 'node:crypto';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localCredentials, localRegion } from '../../lib/local/emulators.ts';
import { aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { api, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();
const s3 = new S3Client({
  endpoint: inject('s3Endpoint'),
  region: localRegion,
  credentials: localCredentials,
  forcePathStyle: true,
});

interface UploadBody {
  id: string;
  upload: {
    method: string;
    url: string;
    fields: Record<string, string>;
    expiresAt: string;
    maxBytes: number;
  };
}
interface PhotoBody {
  id: string;
  phase: string;
  caption?: string;
  contentType: string;
  sizeBytes: number;
  uploadedBy: string;
  uploadedAt: string;
  downloadUrl: string;
  downloadUrlExpiresAt: string;
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bytes that start as a PNG does; the platform checks the signature, not the pixels. */
const aPng = (size = 2048) =>
  Buffer.concat([Buffer.from(pngSignature), randomBytes(size - pngSignature.length)]);

/** Sends the presigned form as a browser would: its fields in order, then the file. */
async function upload(form: UploadBody['upload'], bytes: Buffer, overrides: Record<string, string> = {}) {
  const body = new FormData();
  for (const [name, value] of Object.entries({ ...form.fields, ...overrides })) body.append(name, value);
  body.append(
    'file',
    new Blob([bytes], { type: overrides['Content-Type'] ?? form.fields['Content-Type'] }),
    'photo',
  );
  return fetch(form.url, { method: 'POST', body });
}

async function objectExists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: inject('bucketName'), Key: key }));
    return true;
  } catch {
    return false;
  }
}

const keyOf = (tenantId: string, workOrderId: string, photoId: string) =>
  `tenants/${tenantId}/work-orders/${workOrderId}/photos/${photoId}`;

describe('work order photos', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let workOrderId: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    const created = await api<{ id: string }>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant),
    });
    expect(created.status).toBe(201);
    workOrderId = created.body.id;
  });

  afterAll(() => s3.destroy());

  const requestUpload = (token: string, body: Record<string, unknown>, id = workOrderId) =>
    api<UploadBody>('POST', `/v1/work-orders/${id}/photos`, { token, body });

  it('when the office asks to upload a photo, it gets a short-lived form locked to the key, the type and 10 MB', async () => {
    // Act
    const response = await requestUpload(dispatcher, {
      contentType: 'image/jpeg',
      phase: 'before',
      sizeBytes: 5000,
    });

    // Assert
    expect(response.status).toBe(201);
    const { id, upload: form } = response.body;
    expect(id).toMatch(/^pho_[0-9A-Z]{26}$/);
    expect(form.method).toBe('POST');
    expect(form.fields.key).toBe(keyOf(tenant.tenantId, workOrderId, id));
    expect(form.fields['Content-Type']).toBe('image/jpeg');
    const expiresIn = Date.parse(form.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(5 * 60 * 1000);
    const policy = JSON.parse(Buffer.from(form.fields.Policy ?? '', 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 10 * 1024 * 1024],
        { 'Content-Type': 'image/jpeg' },
        { key: keyOf(tenant.tenantId, workOrderId, id) },
        { bucket: inject('bucketName') },
      ]),
    );
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(5 * 60 * 1000);
  });

  it('when the client tries to choose the key, an unknown type or more than 10 MB, it gets 400 and no form', async () => {
    const withKey = await requestUpload(dispatcher, {
      contentType: 'image/png',
      phase: 'before',
      sizeBytes: 100,
      key: 'tenants/other/anything',
    });
    const gif = await requestUpload(dispatcher, {
      contentType: 'image/gif',
      phase: 'before',
      sizeBytes: 100,
    });
    const huge = await requestUpload(dispatcher, {
      contentType: 'image/png',
      phase: 'before',
      sizeBytes: 10 * 1024 * 1024 + 1,
    });

    expect(withKey.status).toBe(400);
    expect(gif.status).toBe(400);
    expect(gif.body).not.toHaveProperty('upload');
    expect(huge.status).toBe(400);
  });

  it('when a photo is uploaded through the form, it is recorded, audited and listed with a working download link', async () => {
    // Arrange
    const bytes = aPng(4096);
    const requested = await requestUpload(dispatcher, {
      contentType: 'image/png',
      phase: 'during',
      caption: 'Condenser coil, north side',
      sizeBytes: bytes.length,
    });

    // Act
    const stored = await upload(requested.body.upload, bytes);
    const photo = await eventually(async () => {
      const list = await api<{ items: PhotoBody[] }>('GET', `/v1/work-orders/${workOrderId}/photos`, {
        token: dispatcher,
      });
      return list.body.items.find((item) => item.id === requested.body.id);
    });

    // Assert
    expect(stored.status).toBeLessThan(300);
    expect(photo).toMatchObject({
      phase: 'during',
      caption: 'Condenser coil, north side',
      contentType: 'image/png',
      sizeBytes: bytes.length,
    });
    expect(Date.parse(photo.downloadUrlExpiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    const download = await fetch(photo.downloadUrl);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    const timeline = await api<{
      items: { action: string; changes: { photo?: { after: { photoId: string } } } }[];
    }>('GET', `/v1/work-orders/${workOrderId}/timeline`, { token: dispatcher });
    expect(
      timeline.body.items.filter(
        (event) => event.action === 'photo_added' && event.changes.photo?.after.photoId === requested.body.id,
      ),
    ).toHaveLength(1);
  });

  it.each([
    [
      'a content type other than the form names',
      { contentType: 'image/png', bytes: aPng(), fields: { 'Content-Type': 'text/html' } },
    ],
    [
      'bytes that are not the image type announced',
      { contentType: 'image/jpeg', bytes: Buffer.from('<html>not a photo</html>'), fields: {} },
    ],
    ['more than 10 MB', { contentType: 'image/png', bytes: aPng(10 * 1024 * 1024 + 1), fields: {} }],
  ])('when an upload has %s, it is refused: deleted from the bucket and never listed', async (_, upload_) => {
    // Arrange
    const requested = await requestUpload(dispatcher, {
      contentType: upload_.contentType,
      phase: 'after',
      sizeBytes: Math.min(upload_.bytes.length, 10 * 1024 * 1024),
    });
    const key = keyOf(tenant.tenantId, workOrderId, requested.body.id);

    // Act: s3rver takes the form without checking its policy (S3 would refuse the type and the
    // size right away), so the photo function's own checks are what refuse the upload here.
    const response = await upload(requested.body.upload, upload_.bytes, upload_.fields);
    if (response.status < 300)
      await eventually(async () => ((await objectExists(key)) ? undefined : true), 20_000);

    // Assert
    expect(await objectExists(key)).toBe(false);
    const list = await api<{ items: PhotoBody[] }>('GET', `/v1/work-orders/${workOrderId}/photos`, {
      token: dispatcher,
    });
    expect(list.body.items.map((item) => item.id)).not.toContain(requested.body.id);
    const { data } = await entities.workOrderPhoto
      .get({ tenantId: tenant.tenantId, workOrderId, photoId: requested.body.id })
      .go();
    expect(data?.status).toBe('pending');
  });

  it('when an object arrives under a photo key nobody asked for, it is deleted and not recorded', async () => {
    // Arrange: a form for one photo, its key changed to another photo id.
    const requested = await requestUpload(dispatcher, {
      contentType: 'image/png',
      phase: 'before',
      sizeBytes: 2048,
    });
    const forged = keyOf(tenant.tenantId, workOrderId, `pho_${ulid()}`);

    // Act
    await upload(requested.body.upload, aPng(), { key: forged });
    await eventually(async () => ((await objectExists(forged)) ? undefined : true));

    // Assert
    expect(await objectExists(forged)).toBe(false);
  });

  it('when another tenant or an unassigned technician asks for the photos, the work order does not exist for them', async () => {
    const other = await aTenant(entities);
    const stranger = await tokenFor('admin', other.tenantId);
    const technician = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });

    const foreignList = await api('GET', `/v1/work-orders/${workOrderId}/photos`, { token: stranger });
    const foreignUpload = await requestUpload(stranger, {
      contentType: 'image/png',
      phase: 'before',
      sizeBytes: 10,
    });
    const unassignedList = await api('GET', `/v1/work-orders/${workOrderId}/photos`, { token: technician });
    const unassignedUpload = await requestUpload(technician, {
      contentType: 'image/png',
      phase: 'before',
      sizeBytes: 10,
    });

    expect(foreignList.status).toBe(404);
    expect(foreignUpload.status).toBe(404);
    expect(unassignedList.status).toBe(404);
    expect(unassignedUpload.status).toBe(404);
  });

  it('when the technician is assigned, they may upload and list the photos of that work order', async () => {
    // Arrange
    const technician = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });
    const start = new Date(Date.now() + 2 * 86_400_000);
    start.setUTCHours(15, 0, 0, 0);
    const scheduled = await api('POST', `/v1/work-orders/${workOrderId}/schedule`, {
      token: dispatcher,
      body: {
        start: start.toISOString(),
        end: new Date(start.getTime() + 90 * 60_000).toISOString(),
        technicianId: tenant.technicianId,
      },
    });
    expect(scheduled.status).toBe(200);
    const bytes = aPng(1024);

    // Act
    const requested = await requestUpload(technician, {
      contentType: 'image/png',
      phase: 'after',
      sizeBytes: bytes.length,
    });
    await upload(requested.body.upload, bytes);
    const photo = await eventually(async () => {
      const list = await api<{ items: PhotoBody[] }>('GET', `/v1/work-orders/${workOrderId}/photos`, {
        token: technician,
      });
      return list.body.items.find((item) => item.id === requested.body.id);
    });

    // Assert
    expect(requested.status).toBe(201);
    expect(photo.phase).toBe('after');
    expect(photo.uploadedBy).not.toBe('');
  });
});
