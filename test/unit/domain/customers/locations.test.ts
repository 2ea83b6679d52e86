import { beforeEach, describe, expect, it } from 'vitest';
import {
  addEquipment,
  addLocation,
  customerLocations,
  locationEquipment,
  locationWorkOrders,
  updateLocation,
} from '../../../../lambdas/domain/customers/locations.ts';
import type { CustomerDependencies } from '../../../../lambdas/domain/customers/manage-customers.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../../lambdas/shared/errors.ts';
import { aCustomer, aDispatcher, aLocation, aTenant, aWorkOrder } from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-12T15:30:00.000Z';
const address = { line1: '9 Harbor Way', city: 'Quincy', postalCode: '02169', country: 'US' };

describe('locations and equipment', () => {
  let directory: InMemoryDirectory;
  let workOrders: InMemoryWorkOrderStore;
  let dependencies: CustomerDependencies;

  beforeEach(() => {
    directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addTenant(aTenant({ tenantId: 'ten_globex' }))
      .addCustomer(aCustomer())
      .addLocation(aLocation());
    workOrders = new InMemoryWorkOrderStore(directory);
    dependencies = { directory, workOrders, clock: new SettableClock(now), ids: new SequentialIds() };
  });

  it('when a location is added to a customer, it is listed with its gate code and pets, at version 1', async () => {
    // Act
    const location = await addLocation(dependencies, aDispatcher(), 'cus_existing', {
      address,
      gateCode: '4412',
      pets: 'Dog in the yard',
    });

    // Assert
    expect(location).toMatchObject({
      customerId: 'cus_existing',
      gateCode: '4412',
      pets: 'Dog in the yard',
      version: 1,
    });
    const listed = await customerLocations(dependencies, aDispatcher(), 'cus_existing', { limit: 10 });
    expect(listed.items.map((item) => item.locationId).sort()).toEqual(
      ['loc_home', location.locationId].sort(),
    );
  });

  it("when the customer is another tenant's, adding a location is not found and writes nothing", async () => {
    // Act
    const error = await rejectionOf(
      addLocation(dependencies, aDispatcher({ tenantId: 'ten_globex' }), 'cus_existing', { address }),
    );

    // Assert
    expect(error).toBeInstanceOf(NotFoundError);
    expect(directory.allLocations()).toHaveLength(1);
  });

  it('when a dispatcher sets a location’s tax rate, it is refused (403); an admin may', async () => {
    // Act
    const byDispatcher = await rejectionOf(
      updateLocation(dependencies, aDispatcher(), 'loc_home', { taxRatePerMillion: 62_500 }),
    );
    const byAdmin = await updateLocation(dependencies, aDispatcher({ role: 'admin' }), 'loc_home', {
      taxRatePerMillion: 62_500,
    });

    // Assert
    expect(byDispatcher).toBeInstanceOf(ForbiddenError);
    expect(byAdmin.taxRatePerMillion).toBe(62_500);
  });

  it('when a location is changed, only the given fields change and the version goes up', async () => {
    // Act
    const updated = await updateLocation(dependencies, aDispatcher(), 'loc_home', { gateCode: '9999' });

    // Assert
    expect(updated).toMatchObject({
      gateCode: '9999',
      accessNotes: aLocation().accessNotes,
      version: 2,
      updatedAt: now,
    });
  });

  it('when the caller read another version of the location, it refuses with 409', async () => {
    // Act
    const error = await rejectionOf(
      updateLocation(dependencies, aDispatcher(), 'loc_home', { pets: 'cat' }, 2),
    );

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
  });

  it('when equipment is added, it belongs to the location’s customer and is listed at the location', async () => {
    // Act
    const equipment = await addEquipment(dependencies, aDispatcher(), 'loc_home', {
      type: 'Water heater',
      installedOn: '2022-05-01',
      warrantyMonths: 72,
    });

    // Assert
    expect(equipment).toMatchObject({ locationId: 'loc_home', customerId: 'cus_existing', createdAt: now });
    expect(equipment.equipmentId).toMatch(/^eqp_/);
    const listed = await locationEquipment(dependencies, aDispatcher(), 'loc_home', { limit: 10 });
    expect(listed.items).toEqual([equipment]);
  });

  it("when the location is another tenant's, its equipment and history are not found", async () => {
    // Act
    const equipment = await rejectionOf(
      locationEquipment(dependencies, aDispatcher({ tenantId: 'ten_globex' }), 'loc_home', { limit: 10 }),
    );
    const history = await rejectionOf(
      locationWorkOrders(dependencies, aDispatcher({ tenantId: 'ten_globex' }), 'loc_home', { limit: 10 }),
    );

    // Assert
    expect(equipment).toBeInstanceOf(NotFoundError);
    expect(history).toBeInstanceOf(NotFoundError);
  });

  it('when work orders exist at several locations, the location history lists those at this one', async () => {
    // Arrange
    workOrders
      .put(aWorkOrder({ workOrderId: 'wo_here' }))
      .put(aWorkOrder({ workOrderId: 'wo_there', locationId: 'loc_other' }));

    // Act
    const page = await locationWorkOrders(dependencies, aDispatcher(), 'loc_home', { limit: 10 });

    // Assert
    expect(page.items.map((workOrder) => workOrder.workOrderId)).toEqual(['wo_here']);
  });
});
