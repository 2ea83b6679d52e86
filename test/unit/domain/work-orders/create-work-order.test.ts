import { beforeEach, describe, expect, it } from 'vitest';
import type { Equipment } from '../../../../lambdas/domain/customers/customer.ts';
import {
  type CreateWorkOrderCommand,
  createWorkOrder,
} from '../../../../lambdas/domain/work-orders/create-work-order.ts';
import { ForbiddenError, ValidationError } from '../../../../lambdas/shared/errors.ts';
import { aCustomer, aDispatcher, aLocation, aServiceType, aTenant } from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { RecordingWorkflow } from '../../fakes/recording-workflow.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-12T15:30:00.000Z';

const aCommand = (overrides: Partial<CreateWorkOrderCommand> = {}): CreateWorkOrderCommand => ({
  customerId: 'cus_existing',
  locationId: 'loc_home',
  serviceTypeId: 'svc_ac_repair',
  description: 'AC blows warm air since this morning',
  priority: 'urgent',
  ...overrides,
});

const anInlineCustomerCommand = (
  customer: CreateWorkOrderCommand['customer'],
  overrides: Partial<CreateWorkOrderCommand> = {},
): CreateWorkOrderCommand => {
  const { customerId: _customerId, locationId: _locationId, ...command } = aCommand(overrides);
  return { ...command, customer };
};

const fieldsOf = (error: unknown) => (error as ValidationError).errors.map((problem) => problem.field);

describe('createWorkOrder', () => {
  let directory: InMemoryDirectory;
  let workOrders: InMemoryWorkOrderStore;
  let workflow: RecordingWorkflow;
  let events: RecordingEventPublisher;
  let dependencies: Parameters<typeof createWorkOrder>[0];
  let failures: string[];

  beforeEach(() => {
    failures = [];
    directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer())
      .addLocation(aLocation())
      .addCustomer(aCustomer({ customerId: 'cus_neighbour', name: 'Lee Park', nameKey: 'lee park' }))
      .addLocation(aLocation({ locationId: 'loc_neighbour', customerId: 'cus_neighbour' }))
      .addServiceType('ten_acme', aServiceType());
    workOrders = new InMemoryWorkOrderStore(directory);
    workflow = new RecordingWorkflow();
    events = new RecordingEventPublisher();
    dependencies = {
      workOrders,
      directory,
      workflow,
      events,
      clock: new SettableClock(now),
      ids: new SequentialIds(),
      reportFailure: (message) => failures.push(message),
    };
  });

  describe('for an existing customer', () => {
    it('when the customer, location and service type exist, it stores a new work order at version 1', async () => {
      // Act
      const workOrder = await createWorkOrder(dependencies, aDispatcher(), aCommand());

      // Assert
      expect(workOrder).toMatchObject({
        tenantId: 'ten_acme',
        customerId: 'cus_existing',
        locationId: 'loc_home',
        serviceTypeId: 'svc_ac_repair',
        description: 'AC blows warm air since this morning',
        priority: 'urgent',
        status: 'new',
        workflowState: 'Starting',
        createdBy: 'user-dispatcher-1',
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      expect(workOrder.workOrderId).toMatch(/^wo_/);
      expect(await workOrders.get('ten_acme', workOrder.workOrderId)).toEqual(workOrder);
    });

    it('when created, it writes a created audit event by the actor', async () => {
      // Act
      const workOrder = await createWorkOrder(dependencies, aDispatcher({ id: 'user-77' }), aCommand());

      // Assert
      const [event, ...others] = workOrders.eventsOf('ten_acme', workOrder.workOrderId);
      expect(others).toEqual([]);
      expect(event).toMatchObject({
        action: 'created',
        actorId: 'user-77',
        actorRole: 'dispatcher',
        at: now,
        changes: { status: { after: 'new' }, priority: { after: 'urgent' } },
      });
    });

    it('when the command has no access notes, it copies those of the service location', async () => {
      // Act
      const workOrder = await createWorkOrder(dependencies, aDispatcher(), aCommand());

      // Assert
      expect(workOrder.accessNotes).toBe('Gate code 4412; dog in the yard');
    });

    it('when the location records a gate code and pets, the access notes carry them too', async () => {
      // Arrange
      directory.addLocation(
        aLocation({ locationId: 'loc_gated', gateCode: '#4512', pets: 'Dog in the yard' }),
      );

      // Act
      const workOrder = await createWorkOrder(
        dependencies,
        aDispatcher(),
        aCommand({ locationId: 'loc_gated' }),
      );

      // Assert
      expect(workOrder.accessNotes).toBe(
        'Gate code 4412; dog in the yard; Gate code #4512; Pets: Dog in the yard',
      );
    });

    it('when the command has access notes, they win over those of the location', async () => {
      // Act
      const workOrder = await createWorkOrder(
        dependencies,
        aDispatcher(),
        aCommand({ accessNotes: 'Call on arrival' }),
      );

      // Assert
      expect(workOrder.accessNotes).toBe('Call on arrival');
    });

    it('when created, it adds no customer or location to the directory', async () => {
      // Act
      await createWorkOrder(dependencies, aDispatcher(), aCommand());

      // Assert
      expect(
        directory
          .allCustomers()
          .map((customer) => customer.customerId)
          .sort(),
      ).toEqual(['cus_existing', 'cus_neighbour']);
      expect(directory.allLocations()).toHaveLength(2);
    });

    it('when a new service location is given, it stores it for the customer', async () => {
      // Arrange
      const command = aCommand({
        locationId: undefined,
        serviceLocation: {
          address: { line1: '9 Harbor Way', city: 'Quincy', postalCode: '02169', country: 'US' },
          accessNotes: 'Key under the mat',
        },
      });

      // Act
      const workOrder = await createWorkOrder(dependencies, aDispatcher(), command);

      // Assert
      const location = await directory.getLocation('ten_acme', workOrder.locationId ?? 'none');
      expect(location).toMatchObject({
        customerId: 'cus_existing',
        address: { line1: '9 Harbor Way', city: 'Quincy' },
        accessNotes: 'Key under the mat',
      });
    });
  });

  describe('for a new customer given inline', () => {
    it('when the phone is written the local way, it stores the customer with the phone in E.164', async () => {
      // Arrange
      const command = anInlineCustomerCommand({ name: 'Renée Lambert', phone: '(617) 555-0199' });

      // Act
      const workOrder = await createWorkOrder(dependencies, aDispatcher(), command);

      // Assert
      const customer = await directory.getCustomer('ten_acme', workOrder.customerId);
      expect(customer).toMatchObject({
        tenantId: 'ten_acme',
        name: 'Renée Lambert',
        nameKey: 'renee lambert',
        phone: '+16175550199',
      });
    });

    it('when an email is given, it stores it lower-cased', async () => {
      // Arrange
      const command = anInlineCustomerCommand({ name: 'Renée Lambert', email: 'Renee.Lambert@Example.COM' });

      // Act
      const workOrder = await createWorkOrder(dependencies, aDispatcher(), command);

      // Assert
      const customer = await directory.getCustomer('ten_acme', workOrder.customerId);
      expect(customer?.email).toBe('renee.lambert@example.com');
      expect(customer).not.toHaveProperty('phone');
    });

    it('when the phone is invalid, it refuses naming body.customer.phone and stores nothing', async () => {
      // Arrange
      const command = anInlineCustomerCommand({ name: 'Renée Lambert', phone: '555-01' });

      // Act
      const error = await rejectionOf(createWorkOrder(dependencies, aDispatcher(), command));

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect(fieldsOf(error)).toEqual(['body.customer.phone']);
      expect(workOrders.all()).toEqual([]);
      expect(directory.allCustomers()).toHaveLength(2);
      expect(workflow.executions.size).toBe(0);
      expect(events.published).toEqual([]);
    });
  });

  describe('for an inline customer who is already known', () => {
    beforeEach(() => {
      directory.addCustomer(
        aCustomer({
          customerId: 'cus_known',
          name: 'Kim Known',
          phone: '+16175550142',
          email: 'kim@example.com',
        }),
      );
    });

    it.each(['(617) 555-0142', '617.555.0142', '+1 617 555 0142', '6175550142', '+16175550142'])(
      'when the phone is written %j, it uses the customer holding it and adds none',
      async (phone) => {
        // Act
        const workOrder = await createWorkOrder(
          dependencies,
          aDispatcher(),
          anInlineCustomerCommand({ name: 'Kim', phone }),
        );

        // Assert
        expect(workOrder.customerId).toBe('cus_known');
        expect(directory.allCustomers()).toHaveLength(3);
      },
    );

    it('when the email differs only in case, it uses the customer holding it', async () => {
      // Act
      const workOrder = await createWorkOrder(
        dependencies,
        aDispatcher(),
        anInlineCustomerCommand({ name: 'Kim', email: 'KIM@Example.com' }),
      );

      // Assert
      expect(workOrder.customerId).toBe('cus_known');
    });

    it('when a concurrent request writes the same new phone first, it uses that customer, with the new location', async () => {
      // Arrange
      directory.beforeNextCreateCustomer(() => {
        directory.addCustomer(
          aCustomer({ customerId: 'cus_first_caller', phone: '+16175550166', email: undefined }),
        );
      });
      const command = anInlineCustomerCommand(
        { name: 'Second Caller', phone: '617-555-0166' },
        {
          serviceLocation: {
            address: { line1: '9 Harbor Way', city: 'Quincy', postalCode: '02169', country: 'US' },
          },
        },
      );

      // Act
      const workOrder = await createWorkOrder(dependencies, aDispatcher(), command);

      // Assert
      expect(workOrder.customerId).toBe('cus_first_caller');
      expect((await directory.getLocation('ten_acme', workOrder.locationId ?? 'none'))?.customerId).toBe(
        'cus_first_caller',
      );
      expect(directory.allCustomers().filter((customer) => customer.phone === '+16175550166')).toHaveLength(
        1,
      );
    });

    it('when the rest of the request is invalid, it writes no new customer', async () => {
      // Act
      const error = await rejectionOf(
        createWorkOrder(
          dependencies,
          aDispatcher(),
          anInlineCustomerCommand({ name: 'Nova', phone: '6175550167' }, { serviceTypeId: 'svc_unknown' }),
        ),
      );

      // Assert
      expect(fieldsOf(error)).toEqual(['body.serviceTypeId']);
      expect(await directory.customerByContact('ten_acme', 'phone', '+16175550167')).toBeUndefined();
    });
  });

  describe('when a reference is wrong', () => {
    it('when the customer does not exist, it refuses naming body.customerId and stores nothing', async () => {
      // Act
      const error = await rejectionOf(
        createWorkOrder(dependencies, aDispatcher(), aCommand({ customerId: 'cus_unknown' })),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect(fieldsOf(error)).toEqual(['body.customerId']);
      expect(workOrders.all()).toEqual([]);
      expect(workflow.executions.size).toBe(0);
    });

    it('when neither a customer id nor a customer is given, it refuses naming body.customerId', async () => {
      // Act
      const error = await rejectionOf(
        createWorkOrder(
          dependencies,
          aDispatcher(),
          aCommand({ customerId: undefined, locationId: undefined }),
        ),
      );

      // Assert
      expect(fieldsOf(error)).toEqual(['body.customerId']);
      expect(workOrders.all()).toEqual([]);
    });

    it('when the service type does not exist, it refuses naming body.serviceTypeId and stores nothing', async () => {
      // Act
      const error = await rejectionOf(
        createWorkOrder(dependencies, aDispatcher(), aCommand({ serviceTypeId: 'svc_unknown' })),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect(fieldsOf(error)).toEqual(['body.serviceTypeId']);
      expect(workOrders.all()).toEqual([]);
    });

    it('when the service type belongs to another tenant, it refuses naming body.serviceTypeId', async () => {
      // Arrange
      directory.addServiceType('ten_globex', aServiceType({ serviceTypeId: 'svc_globex_only' }));

      // Act
      const error = await rejectionOf(
        createWorkOrder(dependencies, aDispatcher(), aCommand({ serviceTypeId: 'svc_globex_only' })),
      );

      // Assert
      expect(fieldsOf(error)).toEqual(['body.serviceTypeId']);
    });

    it("when the location is another customer's, it refuses naming body.locationId and stores nothing", async () => {
      // Act
      const error = await rejectionOf(
        createWorkOrder(dependencies, aDispatcher(), aCommand({ locationId: 'loc_neighbour' })),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect(fieldsOf(error)).toEqual(['body.locationId']);
      expect(workOrders.all()).toEqual([]);
    });

    it('when several references are wrong, it names every one of them', async () => {
      // Act
      const error = await rejectionOf(
        createWorkOrder(
          dependencies,
          aDispatcher(),
          aCommand({ locationId: 'loc_unknown', serviceTypeId: 'svc_unknown' }),
        ),
      );

      // Assert
      expect(fieldsOf(error).sort()).toEqual(['body.locationId', 'body.serviceTypeId']);
    });

    it('when the tenant is not provisioned, it refuses with ForbiddenError and stores nothing', async () => {
      // Act
      const error = await rejectionOf(
        createWorkOrder(dependencies, aDispatcher({ tenantId: 'ten_unknown' }), aCommand()),
      );

      // Assert
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(workOrders.all()).toEqual([]);
    });
  });

  describe('the workflow and the events', () => {
    it('when created, it starts the execution named by the work order id with the tenant and id', async () => {
      // Act
      const workOrder = await createWorkOrder(dependencies, aDispatcher(), aCommand());

      // Assert
      expect([...workflow.executions.entries()]).toEqual([
        [workOrder.workOrderId, { tenantId: 'ten_acme', workOrderId: workOrder.workOrderId }],
      ]);
    });

    it('when created, it publishes WorkOrder.Created v1 for the work order', async () => {
      // Act
      const workOrder = await createWorkOrder(dependencies, aDispatcher(), aCommand());

      // Assert
      expect(events.published).toEqual([
        {
          type: 'WorkOrder.Created',
          version: 1,
          tenantId: 'ten_acme',
          occurredAt: now,
          detail: {
            workOrderId: workOrder.workOrderId,
            status: 'new',
            version: 1,
            actorId: 'user-dispatcher-1',
            actorRole: 'dispatcher',
            customerId: 'cus_existing',
            locationId: 'loc_home',
            serviceTypeId: 'svc_ac_repair',
            priority: 'urgent',
          },
        },
      ]);
    });

    it('when the workflow cannot start, it answers with the work order flagged needs_attention and reports it', async () => {
      // Arrange
      workflow.failStartsWith(new Error('Step Functions is unreachable'));

      // Act
      const answered = await createWorkOrder(dependencies, aDispatcher(), aCommand());

      // Assert
      const [stored] = workOrders.all();
      expect(answered).toEqual(stored);
      expect(stored).toMatchObject({
        status: 'needs_attention',
        workflowState: 'NeedsAttention',
        version: 2,
      });
      const trail = workOrders.eventsOf('ten_acme', stored?.workOrderId ?? 'none');
      expect(trail.map((event) => event.action)).toEqual(['created', 'needs_attention']);
      expect(trail[1]?.changes.failure).toEqual({
        after: { error: 'Workflow.StartFailed', cause: 'Step Functions is unreachable' },
      });
      expect(events.published.map((event) => event.type)).toEqual([
        'WorkOrder.NeedsAttention',
        'WorkOrder.Created',
      ]);
      expect(failures).toEqual([expect.stringMatching(/did not start/)]);
    });

    it('when WorkOrder.Created cannot be published, it still answers with the saved work order and reports it', async () => {
      // Arrange
      dependencies.events = {
        publish: async () => {
          throw new Error('EventBridge is throttling');
        },
      };

      // Act
      const answered = await createWorkOrder(dependencies, aDispatcher(), aCommand());

      // Assert
      expect(workOrders.all()).toEqual([answered]);
      expect(answered.status).toBe('new');
      expect(failures).toEqual([expect.stringMatching(/not published/)]);
    });
  });

  describe('for a follow-up created by the workflow', () => {
    it('when the id allocated at completion is given, it creates the work order under that id, linked to the one it follows', async () => {
      // Act
      const workOrder = await createWorkOrder(
        dependencies,
        aDispatcher(),
        aCommand({ workOrderId: 'wo_follow_up', followUpOf: 'wo_first_visit' }),
      );

      // Assert
      expect(workOrder).toMatchObject({ workOrderId: 'wo_follow_up', followUpOf: 'wo_first_visit' });
      expect(await workOrders.get('ten_acme', 'wo_follow_up')).toEqual(workOrder);
      expect(workflow.executions.has('wo_follow_up')).toBe(true);
      expect(events.published[0]?.detail).toMatchObject({
        workOrderId: 'wo_follow_up',
        followUpOf: 'wo_first_visit',
      });
    });

    it('when it is not a follow-up, it records no followUpOf', async () => {
      // Act
      const workOrder = await createWorkOrder(dependencies, aDispatcher(), aCommand());

      // Assert
      expect(workOrder).not.toHaveProperty('followUpOf');
    });
  });

  describe('equipment, warranty and the office notes', () => {
    beforeEach(() => {
      directory
        .addEquipment(
          anEquipment({ equipmentId: 'eqp_condenser', installedOn: '2024-03-13', warrantyMonths: 12 }),
        )
        .addEquipment(
          anEquipment({ equipmentId: 'eqp_expired', installedOn: '2024-03-12', warrantyMonths: 12 }),
        )
        .addEquipment(anEquipment({ equipmentId: 'eqp_neighbours', locationId: 'loc_neighbour' }));
    });

    it('when the equipment warranty covers the local day of creation, the work order is flagged covered', async () => {
      // Act: created 2025-03-12 in New York; the warranty covers through 2025-03-12.
      const workOrder = await createWorkOrder(
        dependencies,
        aDispatcher(),
        aCommand({ equipmentId: 'eqp_condenser' }),
      );

      // Assert
      expect(workOrder).toMatchObject({
        equipmentId: 'eqp_condenser',
        warranty: { covered: true, equipmentId: 'eqp_condenser', endsOn: '2025-03-12' },
      });
    });

    it('when the warranty ended the day before, the work order is flagged not covered', async () => {
      // Act
      const workOrder = await createWorkOrder(
        dependencies,
        aDispatcher(),
        aCommand({ equipmentId: 'eqp_expired' }),
      );

      // Assert
      expect(workOrder.warranty).toEqual({
        covered: false,
        equipmentId: 'eqp_expired',
        endsOn: '2025-03-11',
      });
    });

    it.each([
      ['at another location', { equipmentId: 'eqp_neighbours' }],
      ['unknown', { equipmentId: 'eqp_unknown' }],
      ['named without a saved location', { equipmentId: 'eqp_condenser', locationId: undefined }],
    ])(
      'when the equipment is %s, it refuses naming body.equipmentId and stores nothing',
      async (_, overrides) => {
        // Act
        const error = await rejectionOf(createWorkOrder(dependencies, aDispatcher(), aCommand(overrides)));

        // Assert
        expect(fieldsOf(error)).toEqual(['body.equipmentId']);
        expect(workOrders.all()).toEqual([]);
      },
    );

    it('when no equipment is named, there is no warranty flag', async () => {
      // Act
      const workOrder = await createWorkOrder(dependencies, aDispatcher(), aCommand());

      // Assert
      expect(workOrder).not.toHaveProperty('warranty');
    });

    it('when special instructions and an estimated scope are given, they are stored with the priority and description', async () => {
      // Act
      const workOrder = await createWorkOrder(
        dependencies,
        aDispatcher(),
        aCommand({ specialInstructions: 'Use the side door', estimatedScope: 'Half a day' }),
      );

      // Assert
      expect(await workOrders.get('ten_acme', workOrder.workOrderId)).toMatchObject({
        specialInstructions: 'Use the side door',
        estimatedScope: 'Half a day',
        priority: 'urgent',
        description: 'AC blows warm air since this morning',
      });
    });
  });
});

function anEquipment(overrides: Partial<Equipment> = {}): Equipment {
  return {
    tenantId: 'ten_acme',
    equipmentId: 'eqp_unit',
    locationId: 'loc_home',
    customerId: 'cus_existing',
    type: 'AC condenser',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
