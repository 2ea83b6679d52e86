import { beforeEach, describe, expect, it } from 'vitest';
import {
  type DispatchPackageDependencies,
  dispatchPackageLimits,
  packagePhotoLinkSeconds,
  readDispatchPackage,
} from '../../../../lambdas/domain/dispatch/dispatch-package.ts';
import { NotFoundError } from '../../../../lambdas/shared/errors.ts';
import {
  aCustomer,
  aDispatcher,
  aLocation,
  aNote,
  anAdmin,
  anEquipment,
  aPhoto,
  aServiceType,
  aTechnician,
  aTechnicianUser,
  aTenant,
  type aWorkOrder,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryLocationHistory } from '../../fakes/in-memory-location-history.ts';
import { InMemoryPhotoStore } from '../../fakes/in-memory-photo-store.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-13T12:00:00.000Z';

/** Links that say what they were signed for, so the test can check the key, version and lifetime. */
const signingBlobs = {
  signed: [] as { key: string; expiresInSeconds: number; versionId?: string }[],
  async downloadUrl(key: string, options: { expiresInSeconds: number; versionId?: string }) {
    this.signed.push({ key, ...options });
    return `https://bucket.example/${key}?expires=${options.expiresInSeconds}${options.versionId ? `&v=${options.versionId}` : ''}`;
  },
};

/** An earlier job at `loc_home`, done by `tec_bo`, created `daysBefore` days before `wo_existing`. */
const anEarlierJob = (id: string, daysBefore: number, overrides: Parameters<typeof aWorkOrder>[0] = {}) => {
  const createdAt = new Date(Date.parse('2025-03-10T14:00:00.000Z') - daysBefore * 86_400_000).toISOString();
  return aWorkOrderAt('completed', {
    workOrderId: id,
    technicianId: 'tec_bo',
    createdAt,
    completedAt: createdAt,
    noteCount: 0,
    ...overrides,
  });
};

describe('readDispatchPackage', () => {
  let directory: InMemoryDirectory;
  let workOrders: InMemoryWorkOrderStore;
  let photos: InMemoryPhotoStore;
  let locationHistory: InMemoryLocationHistory;
  let dependencies: DispatchPackageDependencies;

  beforeEach(() => {
    directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer())
      .addLocation(
        aLocation({ gateCode: '4412', pets: 'Friendly dog', latitude: 42.3429, longitude: -71.0726 }),
      )
      .addServiceType('ten_acme', aServiceType())
      .addTechnician('ten_acme', aTechnician())
      .addTechnician('ten_acme', aTechnician({ technicianId: 'tec_bo', name: 'Bo Chen' }))
      .addEquipment(
        anEquipment({ equipmentId: 'eqp_a_heater', type: 'Water heater', warrantyEndsOn: '2024-01-01' }),
      )
      .addEquipment(anEquipment());
    workOrders = new InMemoryWorkOrderStore(directory);
    photos = new InMemoryPhotoStore();
    locationHistory = new InMemoryLocationHistory(workOrders);
    signingBlobs.signed = [];
    dependencies = {
      workOrders,
      directory,
      locationHistory,
      photos,
      blobs: signingBlobs,
      clock: new SettableClock(now),
    };
  });

  it('when the assigned technician reads it, the package holds every item they need for the job', async () => {
    // Arrange
    workOrders
      .put(
        aWorkOrderAt('dispatched', {
          equipmentId: 'eqp_condenser',
          accessNotes: 'Gate code 4412; Pets: Friendly dog',
          specialInstructions: 'Call before arriving',
          estimatedScope: 'Replace the capacitor if swollen',
        }),
      )
      .put(
        anEarlierJob('wo_earlier', 200, {
          equipmentId: 'eqp_condenser',
          summary: 'Cleaned the coil',
          noteCount: 1,
        }),
      )
      .putNote(
        aNote({
          workOrderId: 'wo_earlier',
          noteId: 'not_0009',
          text: 'Coil was very dirty',
          authorId: 'user-bo',
        }),
      );
    photos
      .put(
        aPhoto({
          photoId: 'pho_0002',
          uploadedAt: '2025-03-10T15:00:00.000Z',
          caption: 'Condenser',
          versionId: 'v2',
        }),
      )
      .put(aPhoto({ photoId: 'pho_0001', uploadedAt: '2025-03-10T14:30:00.000Z' }))
      .put(aPhoto({ workOrderId: 'wo_earlier', photoId: 'pho_0003' }));

    // Act
    const dispatchPackage = await readDispatchPackage(dependencies, aTechnicianUser(), 'wo_existing');

    // Assert
    expect(dispatchPackage.workOrder).toMatchObject({
      workOrderId: 'wo_existing',
      status: 'dispatched',
      priority: 'routine',
      description: 'AC blows warm air',
      specialInstructions: 'Call before arriving',
      estimatedScope: 'Replace the capacitor if swollen',
      accessNotes: 'Gate code 4412; Pets: Friendly dog',
      technicianId: 'tec_ana',
    });
    expect(dispatchPackage.serviceType).toEqual({ serviceTypeId: 'svc_ac_repair', name: 'AC repair' });
    expect(dispatchPackage.arrivalWindow).toEqual({
      start: '2025-03-14T09:00:00-04:00',
      end: '2025-03-14T10:30:00-04:00',
      timeZone: 'America/New_York',
      text: 'Fri Mar 14 at 9:00 AM',
    });
    expect(dispatchPackage.technician).toMatchObject({ technicianId: 'tec_ana', name: 'Ana Reyes' });
    expect(dispatchPackage.customer).toMatchObject({
      name: 'Dana Whitfield',
      phone: '+16175550101',
      email: 'dana@example.com',
    });
    expect(dispatchPackage.location).toMatchObject({
      accessNotes: 'Gate code 4412; dog in the yard',
      gateCode: '4412',
      pets: 'Friendly dog',
      latitude: 42.3429,
      longitude: -71.0726,
    });
    expect(dispatchPackage.address).toBe('12 Elm Street, Boston, MA 02118');
    expect(dispatchPackage.directions).toEqual({
      url: 'https://www.google.com/maps/dir/?api=1&destination=42.3429,-71.0726',
      destination: '42.3429,-71.0726',
    });
    expect(
      dispatchPackage.equipment.map(({ equipment, isSubject, warranty }) => [
        equipment.equipmentId,
        isSubject,
        warranty,
      ]),
    ).toEqual([
      [
        'eqp_condenser',
        true,
        { covered: true, equipmentId: 'eqp_condenser', endsOn: '2029-02-28', on: '2025-03-14' },
      ],
      [
        'eqp_a_heater',
        false,
        { covered: false, equipmentId: 'eqp_a_heater', endsOn: '2024-01-01', on: '2025-03-14' },
      ],
    ]);
    expect(dispatchPackage.equipment[0]?.serviceHistory).toEqual([
      {
        workOrderId: 'wo_earlier',
        date: '2024-08-22T14:00:00.000Z',
        status: 'completed',
        description: 'AC blows warm air',
        summary: 'Cleaned the coil',
        technician: { technicianId: 'tec_bo', name: 'Bo Chen' },
      },
    ]);
    expect(dispatchPackage.equipment[1]?.serviceHistory).toEqual([]);
    expect(dispatchPackage.earlierNotes).toEqual([
      {
        workOrderId: 'wo_earlier',
        noteId: 'not_0009',
        text: 'Coil was very dirty',
        at: '2025-03-14T13:40:00.000Z',
        authorId: 'user-bo',
        authorRole: 'technician',
        technician: { technicianId: 'tec_bo', name: 'Bo Chen' },
      },
    ]);
    expect(
      dispatchPackage.photos.map(({ photo, downloadUrl, downloadUrlExpiresAt }) => [
        photo.photoId,
        downloadUrl,
        downloadUrlExpiresAt,
      ]),
    ).toEqual([
      [
        'pho_0001',
        'https://bucket.example/tenants/ten_acme/work-orders/wo_existing/photos/pho_0001?expires=900',
        '2025-03-13T12:15:00.000Z',
      ],
      [
        'pho_0002',
        'https://bucket.example/tenants/ten_acme/work-orders/wo_existing/photos/pho_0002?expires=900&v=v2',
        '2025-03-13T12:15:00.000Z',
      ],
    ]);
    expect(dispatchPackage.earlierPhotos.map(({ photo }) => photo.photoId)).toEqual(['pho_0003']);
    expect(packagePhotoLinkSeconds).toBe(15 * 60);
    expect(dispatchPackage.assembledAt).toBe(now);
  });

  it('when the location has no coordinates, the directions lead to the encoded address', async () => {
    // Arrange
    directory.addLocation(aLocation());
    workOrders.put(aWorkOrderAt('dispatched'));

    // Act
    const { directions } = await readDispatchPackage(dependencies, aDispatcher(), 'wo_existing');

    // Assert
    expect(directions).toEqual({
      url: 'https://www.google.com/maps/dir/?api=1&destination=12%20Elm%20Street%2C%20Boston%2C%20MA%2002118',
      destination: '12 Elm Street, Boston, MA 02118',
    });
  });

  it('when no technician is assigned yet, the office still previews the package, without a technician', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('scheduled'));

    // Act
    const preview = await readDispatchPackage(dependencies, anAdmin(), 'wo_existing');

    // Assert
    expect(preview.technician).toBeUndefined();
    expect(preview.customer?.name).toBe('Dana Whitfield');
    expect(preview.arrivalWindow?.text).toBe('Fri Mar 14 at 9:00 AM');
  });

  it.each([
    [
      'a technician it is not assigned to',
      aTechnicianUser({ technicianId: 'tec_bo' }),
      aWorkOrderAt('dispatched'),
    ],
    ['a technician before anyone is assigned', aTechnicianUser(), aWorkOrderAt('scheduled')],
    ['another tenant', aDispatcher({ tenantId: 'ten_other' }), aWorkOrderAt('dispatched')],
  ])(
    'when %s asks, the work order does not exist for them and nothing is signed',
    async (_, actor, workOrder) => {
      // Arrange
      workOrders.put(workOrder);
      photos.put(aPhoto());

      // Act
      const error = await rejectionOf(readDispatchPackage(dependencies, actor, 'wo_existing'));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
      expect(signingBlobs.signed).toEqual([]);
    },
  );

  it('when the location has a long past, it reads it bounded: notes of the five latest jobs with notes, photos of the five latest jobs, ten at most', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('dispatched'));
    for (let day = 1; day <= 12; day += 1) {
      const id = `wo_past_${String(day).padStart(2, '0')}`;
      workOrders.put(anEarlierJob(id, day, { noteCount: day % 2 }));
      if (day % 2 === 1)
        workOrders.putNote(aNote({ workOrderId: id, noteId: `not_${day}`, text: `Visit ${day}` }));
      for (const [suffix, hour] of [
        ['a', 10],
        ['b', 11],
        ['c', 12],
      ] as const) {
        const uploadedAt = `2025-01-${String(20 - day).padStart(2, '0')}T${hour}:00:00.000Z`;
        photos.put(aPhoto({ workOrderId: id, photoId: `pho_${day}${suffix}`, uploadedAt }));
      }
    }
    // A job taken after this one is not part of its past.
    workOrders.put(anEarlierJob('wo_later', -1, { noteCount: 1 }));
    workOrders.putNote(aNote({ workOrderId: 'wo_later', noteId: 'not_later', text: 'Later' }));

    // Act
    const dispatchPackage = await readDispatchPackage(dependencies, aDispatcher(), 'wo_existing');

    // Assert
    expect(locationHistory.reads).toEqual([
      { locationId: 'loc_home', limit: dispatchPackageLimits.earlierWorkOrdersRead },
    ]);
    expect(dispatchPackage.earlierNotes.map((note) => note.text)).toEqual([
      'Visit 1',
      'Visit 3',
      'Visit 5',
      'Visit 7',
      'Visit 9',
    ]);
    expect(photos.listed).toEqual([
      'wo_existing',
      'wo_past_01',
      'wo_past_02',
      'wo_past_03',
      'wo_past_04',
      'wo_past_05',
    ]);
    expect(dispatchPackage.earlierPhotos.map(({ photo }) => photo.photoId)).toEqual([
      'pho_1c',
      'pho_1b',
      'pho_1a',
      'pho_2c',
      'pho_2b',
      'pho_2a',
      'pho_3c',
      'pho_3b',
      'pho_3a',
      'pho_4c',
    ]);
    expect(dispatchPackage.earlierPhotos).toHaveLength(dispatchPackageLimits.earlierPhotos);
  });

  it('when the location lists more equipment than one page, the work order’s own still comes first', async () => {
    // Arrange
    for (let index = 0; index < dispatchPackageLimits.equipment; index += 1) {
      directory.addEquipment(
        anEquipment({ equipmentId: `eqp_b_${String(index).padStart(2, '0')}`, type: 'Vent' }),
      );
    }
    directory.addEquipment(anEquipment({ equipmentId: 'eqp_z_furnace', type: 'Furnace' }));
    workOrders.put(aWorkOrderAt('dispatched', { equipmentId: 'eqp_z_furnace' }));

    // Act
    const { equipment } = await readDispatchPackage(dependencies, aDispatcher(), 'wo_existing');

    // Assert
    expect(equipment[0]).toMatchObject({ isSubject: true, equipment: { equipmentId: 'eqp_z_furnace' } });
    expect(equipment).toHaveLength(dispatchPackageLimits.equipment + 1);
  });

  it('when an earlier job named other equipment or none, it is not in this equipment’s service history', async () => {
    // Arrange
    workOrders
      .put(aWorkOrderAt('dispatched', { equipmentId: 'eqp_condenser' }))
      .put(anEarlierJob('wo_heater', 10, { equipmentId: 'eqp_a_heater' }))
      .put(anEarlierJob('wo_general', 20))
      .put(
        anEarlierJob('wo_condenser', 30, {
          equipmentId: 'eqp_condenser',
          status: 'cancelled',
          cancelReason: 'Fixed itself',
          summary: undefined,
        }),
      );

    // Act
    const { equipment } = await readDispatchPackage(dependencies, aDispatcher(), 'wo_existing');

    // Assert
    expect(
      equipment.map((unit) => [
        unit.equipment.equipmentId,
        unit.serviceHistory.map((entry) => entry.workOrderId),
      ]),
    ).toEqual([
      ['eqp_condenser', ['wo_condenser']],
      ['eqp_a_heater', ['wo_heater']],
    ]);
    expect(equipment[0]?.serviceHistory[0]).toMatchObject({
      status: 'cancelled',
      summary: 'Cancelled: Fixed itself',
    });
  });
});
