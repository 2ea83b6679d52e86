import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoWorkOrderStore } from '../../lambdas/adapters/dynamodb/work-order-store.ts';
import type { WorkOrder } from '../../lambdas/domain/work-orders/work-order.ts';
import { dispatchPackageView } from '../../lambdas/schemas/dispatch-package.ts';
import { aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { api, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface TechnicianRef {
  id: string;
  name?: string;
}
interface PackagePhoto {
  id: string;
  workOrderId: string;
  phase: string;
  caption?: string;
  contentType: string;
  sizeBytes: number;
  uploadedAt: string;
  url: string;
  expiresAt: string;
}
interface PackageBody {
  workOrder: {
    id: string;
    status: string;
    priority: string;
    description: string;
    specialInstructions?: string;
    estimatedScope?: string;
    accessNotes?: string;
    serviceType?: { id: string; name: string };
    schedule?: { start: string; end: string; timeZone: string; arrivalWindow: string };
  };
  technician?: { id: string; name: string; phone?: string };
  customer?: { id: string; name: string; phone?: string; email?: string };
  serviceLocation?: {
    id: string;
    formattedAddress: string;
    accessNotes?: string;
    gateCode?: string;
    pets?: string;
    latitude?: number;
    longitude?: number;
  };
  directions?: { url: string; destination: string };
  equipment: {
    id: string;
    type: string;
    make?: string;
    model?: string;
    thisJob: boolean;
    warranty: { covered: boolean; endsOn?: string; on: string };
    serviceHistory: {
      workOrderId: string;
      date: string;
      status: string;
      description: string;
      summary?: string;
      technician?: TechnicianRef;
    }[];
  }[];
  earlierNotes: {
    workOrderId: string;
    id: string;
    text: string;
    at: string;
    author: { id: string; role: string };
    technician?: TechnicianRef;
  }[];
  photos: PackagePhoto[];
  earlierPhotos: PackagePhoto[];
  photoLinksValidSeconds: number;
  assembledAt: string;
}
interface UploadBody {
  id: string;
  upload: { url: string; fields: Record<string, string> };
}
interface OutboxBody {
  items: { workOrderId?: string; to: string; subject?: string; body: string; channel: string }[];
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const aPng = (size = 3072) =>
  Buffer.concat([Buffer.from(pngSignature), randomBytes(size - pngSignature.length)]);

/** Uploads one photo through the photos API as a phone would, and waits until it is recorded. */
async function uploadPhoto(token: string, workOrderId: string, bytes: Buffer, caption: string) {
  const requested = await api<UploadBody>('POST', `/v1/work-orders/${workOrderId}/photos`, {
    token,
    body: { contentType: 'image/png', phase: 'before', caption, sizeBytes: bytes.length },
  });
  expect(requested.status).toBe(201);
  const form = new FormData();
  for (const [name, value] of Object.entries(requested.body.upload.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: 'image/png' }), 'photo.png');
  const stored = await fetch(requested.body.upload.url, { method: 'POST', body: form });
  expect(stored.status).toBeLessThan(300);
  await eventually(async () => {
    const list = await api<{ items: { id: string }[] }>('GET', `/v1/work-orders/${workOrderId}/photos`, {
      token,
    });
    return list.body.items.some((item) => item.id === requested.body.id) ? true : undefined;
  }, 20_000);
  return requested.body.id;
}

/**
 * A job done at the location a month ago on the condenser, with the technician's notes, written
 * as the lifecycle leaves a completed work order (no execution: it is history here).
 */
async function anEarlierCompletedJob(tenant: TenantFixture, locationId: string, equipmentId: string) {
  const store = new DynamoWorkOrderStore(entities);
  const createdAt = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const completedAt = new Date(Date.parse(createdAt) + 3 * 3_600_000).toISOString();
  const workOrder: WorkOrder = {
    tenantId: tenant.tenantId,
    workOrderId: `wo_${ulid()}`,
    customerId: tenant.customerId,
    locationId,
    serviceTypeId: tenant.serviceTypeId,
    equipmentId,
    description: 'AC not cooling, condenser fan not spinning',
    priority: 'routine',
    status: 'completed',
    technicianId: tenant.technicianId,
    summary: 'Replaced the condenser fan capacitor; cooling restored',
    completedAt,
    workflowState: 'Closed',
    workflowStateSince: completedAt,
    createdBy: 'test',
    version: 6,
    createdAt,
    updatedAt: completedAt,
  };
  const event = (action: string, at: string) => ({
    tenantId: tenant.tenantId,
    workOrderId: workOrder.workOrderId,
    eventId: `evt_${ulid()}`,
    action,
    actorId: 'test',
    actorRole: 'technician',
    at,
    changes: {},
  });
  await store.create({ workOrder, event: event('created', createdAt) });
  const notes = [
    ['Capacitor swollen, fan seized', 1],
    ['Coil is dirty: recommend a cleaning at the next visit', 2],
  ] as const;
  for (const [text, hours] of notes) {
    const at = new Date(Date.parse(createdAt) + hours * 3_600_000).toISOString();
    const note = {
      tenantId: tenant.tenantId,
      workOrderId: workOrder.workOrderId,
      noteId: `not_${ulid()}`,
      text,
      authorId: `local-technician-${tenant.technicianId}`,
      authorRole: 'technician',
      at,
    };
    expect(await store.addNote(note, event('note_added', at), ['completed'])).toBe(true);
  }
  return workOrder;
}

describe('dispatch package', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let technician: string;
  let otherTechnician: string;
  let locationId: string;
  let condenserId: string;
  let heaterId: string;
  let earlier: WorkOrder;
  let workOrderId: string;
  let photoBytes: Buffer;
  let photoId: string;
  let earlierPhotoId: string;
  const visitStart = new Date(new Date(Date.now() + 2 * 86_400_000).setUTCHours(16, 0, 0, 0)).toISOString();

  beforeAll(async () => {
    tenant = await aTenant(entities);
    [dispatcher, technician, otherTechnician] = await Promise.all([
      tokenFor('dispatcher', tenant.tenantId),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.unqualifiedTechnicianId }),
    ]);
    const location = await api<{ id: string }>('POST', `/v1/customers/${tenant.customerId}/locations`, {
      token: dispatcher,
      body: {
        address: { line1: '742 Evergreen Terrace', city: 'Springfield', region: 'IL', postalCode: '62704' },
        latitude: 39.7817,
        longitude: -89.6501,
        accessNotes: 'Side gate, unit is behind the garage',
        gateCode: '2468',
        pets: 'Two cats indoors; keep the doors closed',
      },
    });
    expect(location.status).toBe(201);
    locationId = location.body.id;
    const addEquipment = async (body: Record<string, unknown>) => {
      const created = await api<{ id: string }>('POST', `/v1/locations/${locationId}/equipment`, {
        token: dispatcher,
        body,
      });
      expect(created.status).toBe(201);
      return created.body.id;
    };
    condenserId = await addEquipment({
      type: 'AC condenser',
      make: 'Carrier',
      model: '24ACC636',
      serialNumber: 'CAR-555-1212',
      installedOn: '2023-05-01',
      warrantyMonths: 120,
    });
    heaterId = await addEquipment({ type: 'Water heater', make: 'Rheem', installedOn: '2010-01-15' });
    earlier = await anEarlierCompletedJob(tenant, locationId, condenserId);
    earlierPhotoId = await uploadPhoto(dispatcher, earlier.workOrderId, aPng(2048), 'Old capacitor');

    const created = await api<{ id: string }>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant, {
        locationId,
        equipmentId: condenserId,
        description: 'AC blowing warm air again, fan is noisy',
        specialInstructions: 'Call 15 minutes before arriving',
        estimatedScope: 'Check the fan motor and capacitor; clean the coil',
      }),
    });
    expect(created.status).toBe(201);
    workOrderId = created.body.id;
    photoBytes = aPng(4096);
    photoId = await uploadPhoto(dispatcher, workOrderId, photoBytes, 'Noisy fan');

    const scheduled = await api('POST', `/v1/work-orders/${workOrderId}/schedule`, {
      token: dispatcher,
      body: { start: visitStart },
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    const dispatched = await api('POST', `/v1/work-orders/${workOrderId}/dispatch`, {
      token: dispatcher,
      body: { technicianId: tenant.technicianId },
    });
    expect(dispatched.status, JSON.stringify(dispatched.body)).toBe(200);
  });

  const readPackage = (token: string, id = workOrderId) =>
    api<PackageBody>('GET', `/v1/work-orders/${id}/dispatch-package`, { token });

  it('when the assigned technician reads it, the package holds every item of the dispatch', async () => {
    // Act
    const response = await readPackage(technician);

    // Assert
    expect(response.status).toBe(200);
    const body = response.body;
    expect(dispatchPackageView.safeParse(body).error).toBeUndefined();
    expect(body.workOrder).toMatchObject({
      id: workOrderId,
      status: 'dispatched',
      priority: 'urgent',
      description: 'AC blowing warm air again, fan is noisy',
      specialInstructions: 'Call 15 minutes before arriving',
      estimatedScope: 'Check the fan motor and capacitor; clean the coil',
      accessNotes:
        'Side gate, unit is behind the garage; Gate code 2468; Pets: Two cats indoors; keep the doors closed',
      serviceType: { id: tenant.serviceTypeId, name: 'AC repair' },
      schedule: {
        timeZone: 'America/Chicago',
        arrivalWindow: expect.stringMatching(/^\w{3} \w{3} \d{1,2} at \d{1,2}:\d{2} [AP]M$/),
      },
    });
    expect(Date.parse(body.workOrder.schedule?.start ?? '')).toBe(Date.parse(visitStart));
    expect(body.workOrder.schedule?.start).toMatch(/-0[56]:00$/);
    expect(body.technician).toMatchObject({
      id: tenant.technicianId,
      name: 'Alex Rivera',
      phone: '+13125550177',
    });
    expect(body.customer).toMatchObject({ id: tenant.customerId, name: 'Pat Doe', phone: '+13125550100' });
    expect(body.serviceLocation).toMatchObject({
      id: locationId,
      formattedAddress: '742 Evergreen Terrace, Springfield, IL 62704',
      accessNotes: 'Side gate, unit is behind the garage',
      gateCode: '2468',
      pets: 'Two cats indoors; keep the doors closed',
      latitude: 39.7817,
      longitude: -89.6501,
    });
    expect(body.directions).toEqual({
      url: 'https://www.google.com/maps/dir/?api=1&destination=39.7817,-89.6501',
      destination: '39.7817,-89.6501',
    });
    expect(body.equipment.map((unit) => [unit.id, unit.type, unit.thisJob, unit.warranty.covered])).toEqual([
      [condenserId, 'AC condenser', true, true],
      [heaterId, 'Water heater', false, false],
    ]);
    expect(body.equipment[0]?.warranty.endsOn).toBe('2033-04-30');
    expect(body.equipment[0]?.serviceHistory).toEqual([
      {
        workOrderId: earlier.workOrderId,
        date: earlier.completedAt,
        status: 'completed',
        description: 'AC not cooling, condenser fan not spinning',
        summary: 'Replaced the condenser fan capacitor; cooling restored',
        technician: { id: tenant.technicianId, name: 'Alex Rivera' },
      },
    ]);
    expect(body.equipment[1]?.serviceHistory).toEqual([]);
    expect(body.earlierNotes.map((note) => note.text)).toEqual([
      'Coil is dirty: recommend a cleaning at the next visit',
      'Capacitor swollen, fan seized',
    ]);
    expect(body.earlierNotes[0]).toMatchObject({
      workOrderId: earlier.workOrderId,
      author: { id: `local-technician-${tenant.technicianId}`, role: 'technician' },
      technician: { id: tenant.technicianId, name: 'Alex Rivera' },
      at: expect.any(String),
    });
    expect(body.photos).toEqual([
      expect.objectContaining({
        id: photoId,
        workOrderId,
        caption: 'Noisy fan',
        contentType: 'image/png',
        sizeBytes: photoBytes.length,
      }),
    ]);
    expect(body.earlierPhotos.map((photo) => [photo.id, photo.workOrderId])).toEqual([
      [earlierPhotoId, earlier.workOrderId],
    ]);
    expect(body.photoLinksValidSeconds).toBe(900);
  });

  it('when a photo link of the package is followed before it expires, it returns the photo’s bytes', async () => {
    // Arrange
    const { body } = await readPackage(technician);
    const [photo] = body.photos;
    if (!photo) throw new Error('the package lists no photo');

    // Act
    const download = await fetch(photo.url);

    // Assert
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(photoBytes)).toBe(true);
    const validFor = Date.parse(photo.expiresAt) - Date.now();
    expect(validFor).toBeGreaterThan(0);
    expect(validFor).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(new URL(photo.url).searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it('when another technician or another tenant asks for the package, the work order does not exist for them', async () => {
    // Arrange
    const other = await aTenant(entities);
    const otherOffice = await tokenFor('admin', other.tenantId);

    // Act
    const asOtherTechnician = await readPackage(otherTechnician);
    const asOtherTenant = await readPackage(otherOffice);

    // Assert
    expect(asOtherTechnician.status).toBe(404);
    expect(asOtherTenant.status).toBe(404);
    expect(asOtherTechnician.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify([asOtherTechnician.body, asOtherTenant.body])).not.toContain('Pat Doe');
  });

  it('when no technician is assigned yet, the office previews the package and no technician sees it', async () => {
    // Arrange
    const created = await api<{ id: string }>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant, { locationId }),
    });

    // Act
    const preview = await readPackage(dispatcher, created.body.id);
    const asTechnician = await readPackage(technician, created.body.id);

    // Assert
    expect(preview.status).toBe(200);
    expect(preview.body.technician).toBeUndefined();
    expect(preview.body.workOrder.schedule).toBeUndefined();
    expect(preview.body.equipment.map((unit) => unit.thisJob)).toEqual([false, false]);
    expect(preview.body.earlierNotes).toHaveLength(2);
    expect(asTechnician.status).toBe(404);
  });

  it('when the technician is assigned, the message they are sent carries the package’s main items', async () => {
    // Act
    const message = await eventually(async () => {
      const outbox = await api<OutboxBody>('GET', '/local/outbox', { token: dispatcher });
      return outbox.body.items.find(
        (item) => item.workOrderId === workOrderId && item.subject === `New job ${workOrderId}`,
      );
    }, 20_000);

    // Assert
    expect(message).toMatchObject({ channel: 'sms', to: '+13125550177' });
    const lines = message.body.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Job ${workOrderId}, \\w{3} \\w{3} \\d{1,2} at `));
    expect(lines).toEqual(
      expect.arrayContaining([
        'Pat Doe, +13125550100',
        '742 Evergreen Terrace, Springfield, IL 62704',
        'Problem: AC blowing warm air again, fan is noisy',
        'Instructions: Call 15 minutes before arriving',
        'Access: Side gate, unit is behind the garage; Gate code 2468; Pets: Two cats indoors; keep the doors closed',
        'Equipment: AC condenser (Carrier 24ACC636) [this job], under warranty to 2033-04-30, 1 earlier job(s); Water heater (Rheem)',
        'Earlier notes: 2 from 1 earlier visit(s)',
        'Photos: 1, and 1 from earlier visits',
        'Directions: https://www.google.com/maps/dir/?api=1&destination=39.7817,-89.6501',
        `Package: /v1/work-orders/${workOrderId}/dispatch-package`,
      ]),
    );
  });
});
