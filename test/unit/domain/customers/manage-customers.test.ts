import { beforeEach, describe, expect, it } from 'vitest';
import {
  type CustomerDependencies,
  createCustomer,
  customerWorkOrders,
  findCustomers,
  findOrCreateCustomer,
  updateCustomer,
} from '../../../../lambdas/domain/customers/manage-customers.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  type ValidationError,
} from '../../../../lambdas/shared/errors.ts';
import { aCustomer, aDispatcher, aTenant, aWorkOrder } from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-12T15:30:00.000Z';

describe('customers', () => {
  let directory: InMemoryDirectory;
  let dependencies: CustomerDependencies;

  beforeEach(() => {
    directory = new InMemoryDirectory().addTenant(aTenant()).addCustomer(aCustomer());
    dependencies = {
      directory,
      workOrders: new InMemoryWorkOrderStore(directory),
      clock: new SettableClock(now),
      ids: new SequentialIds(),
    };
  });

  describe('createCustomer', () => {
    it('when the phone is written the local way and the email in capitals, it stores them normalized at version 1', async () => {
      // Act
      const customer = await createCustomer(dependencies, aDispatcher(), {
        name: 'Renée Lambert',
        phone: '(617) 555-0199',
        email: 'Renee@Example.COM',
        contactPreferences: { channel: 'email', preferredDays: ['sat'] },
      });

      // Assert
      expect(customer).toMatchObject({
        tenantId: 'ten_acme',
        name: 'Renée Lambert',
        nameKey: 'renee lambert',
        phone: '+16175550199',
        email: 'renee@example.com',
        contactPreferences: { channel: 'email', preferredDays: ['sat'] },
        version: 1,
        createdAt: now,
      });
      expect(await directory.customerByContact('ten_acme', 'phone', '+16175550199')).toEqual(customer);
      expect(await directory.customerByContact('ten_acme', 'email', 'renee@example.com')).toEqual(customer);
    });

    it.each([
      ['phone', { phone: '617.555.0101' }],
      ['email', { email: 'DANA@example.com' }],
    ])(
      'when the %s already belongs to a customer, it refuses with 409 naming that customer',
      async (kind, contact) => {
        // Act
        const error = await rejectionOf(
          createCustomer(dependencies, aDispatcher(), { name: 'Dup', ...contact }),
        );

        // Assert
        expect(error).toBeInstanceOf(ConflictError);
        expect((error as ConflictError).extensions).toEqual({
          customerId: 'cus_existing',
          field: `body.${kind}`,
        });
        expect(directory.allCustomers()).toHaveLength(1);
      },
    );

    it('when a concurrent request takes the phone between the check and the write, it answers 409 with that customer', async () => {
      // Arrange
      directory.beforeNextCreateCustomer(() => {
        directory.addCustomer(
          aCustomer({ customerId: 'cus_racer', phone: '+16175550123', email: undefined }),
        );
      });

      // Act
      const error = await rejectionOf(
        createCustomer(dependencies, aDispatcher(), { name: 'Slow', phone: '6175550123' }),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions.customerId).toBe('cus_racer');
    });

    it('when the phone is not a number of the tenant country, it refuses naming body.phone', async () => {
      // Act
      const error = await rejectionOf(
        createCustomer(dependencies, aDispatcher(), { name: 'X', phone: '555-01' }),
      );

      // Assert
      expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual(['body.phone']);
    });

    it('when the tenant is not provisioned, it refuses with ForbiddenError', async () => {
      // Act
      const error = await rejectionOf(
        createCustomer(dependencies, aDispatcher({ tenantId: 'ten_unknown' }), {
          name: 'X',
          email: 'x@example.com',
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(ForbiddenError);
    });
  });

  describe('findOrCreateCustomer', () => {
    const aCandidate = () =>
      aCustomer({ customerId: 'cus_candidate', phone: '+16175550177', email: undefined, version: 1 });

    it('when no customer holds the contacts, it writes the candidate', async () => {
      // Act
      const result = await findOrCreateCustomer(directory, aCandidate());

      // Assert
      expect(result).toEqual({ customer: aCandidate(), created: true });
    });

    it('when a concurrent request writes a customer with the same phone first, it takes that customer', async () => {
      // Arrange
      directory.beforeNextCreateCustomer(() => {
        directory.addCustomer(
          aCustomer({ customerId: 'cus_first', phone: '+16175550177', email: undefined }),
        );
      });

      // Act
      const result = await findOrCreateCustomer(directory, aCandidate());

      // Assert
      expect(result.created).toBe(false);
      expect(result.customer.customerId).toBe('cus_first');
      expect(directory.allCustomers().map((customer) => customer.customerId)).not.toContain('cus_candidate');
    });

    it('when every write is refused without a holder to take, it gives up with 503 after a few attempts', async () => {
      // Arrange: a customer with the candidate's id exists, so the write is refused each time.
      directory.addCustomer(aCustomer({ customerId: 'cus_candidate', phone: undefined, email: undefined }));

      // Act
      const error = await rejectionOf(findOrCreateCustomer(directory, aCandidate()));

      // Assert
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(directory.createCustomerAttempts).toBe(5);
    });
  });

  describe('updateCustomer', () => {
    it('when the phone and email change, the contacts move: the old ones are free, the new ones find the customer', async () => {
      // Act
      const updated = await updateCustomer(dependencies, aDispatcher(), 'cus_existing', {
        phone: '(617) 555-0188',
        email: 'New@Example.com',
        contactPreferences: { quietHours: { start: '21:00', end: '07:00' } },
      });

      // Assert
      expect(updated).toMatchObject({
        phone: '+16175550188',
        email: 'new@example.com',
        version: 2,
        updatedAt: now,
      });
      expect(await directory.customerByContact('ten_acme', 'phone', '+16175550101')).toBeUndefined();
      expect(await directory.customerByContact('ten_acme', 'email', 'dana@example.com')).toBeUndefined();
      expect((await directory.customerByContact('ten_acme', 'phone', '+16175550188'))?.customerId).toBe(
        'cus_existing',
      );
    });

    it('when the name changes, the name key follows', async () => {
      // Act
      const updated = await updateCustomer(dependencies, aDispatcher(), 'cus_existing', {
        name: 'Dána Whitfield-Ng',
      });

      // Assert
      expect(updated.nameKey).toBe('dana whitfield ng');
    });

    it('when the new phone belongs to another customer, it refuses with 409 naming that customer and changes nothing', async () => {
      // Arrange
      directory.addCustomer(
        aCustomer({ customerId: 'cus_other', phone: '+16175550144', email: 'other@example.com' }),
      );

      // Act
      const error = await rejectionOf(
        updateCustomer(dependencies, aDispatcher(), 'cus_existing', { phone: '617 555 0144' }),
      );

      // Assert
      expect((error as ConflictError).extensions).toEqual({ customerId: 'cus_other', field: 'body.phone' });
      expect((await directory.getCustomer('ten_acme', 'cus_existing'))?.phone).toBe('+16175550101');
    });

    it('when the caller read another version, it refuses with 409', async () => {
      // Act
      const error = await rejectionOf(
        updateCustomer(dependencies, aDispatcher(), 'cus_existing', { name: 'Late' }, 3),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toEqual({ currentVersion: 1 });
    });

    it("when the customer is another tenant's, it is not found", async () => {
      // Arrange
      directory.addTenant(aTenant({ tenantId: 'ten_globex' }));

      // Act
      const error = await rejectionOf(
        updateCustomer(dependencies, aDispatcher({ tenantId: 'ten_globex' }), 'cus_existing', { name: 'X' }),
      );

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
      expect((await directory.getCustomer('ten_acme', 'cus_existing'))?.name).toBe('Dana Whitfield');
    });
  });

  describe('findCustomers', () => {
    const page = { limit: 10 };

    it.each(['(617) 555-0101', '617.555.0101', '+1 617 555 0101', '6175550101', '+16175550101'])(
      'when the phone is written %j, it finds the customer',
      async (phone) => {
        // Act
        const found = await findCustomers(directory, aDispatcher(), { phone }, page);

        // Assert
        expect(found.items.map((customer) => customer.customerId)).toEqual(['cus_existing']);
      },
    );

    it('when the email differs only in case, it finds the customer', async () => {
      // Act
      const found = await findCustomers(directory, aDispatcher(), { email: ' Dana@EXAMPLE.com' }, page);

      // Assert
      expect(found.items.map((customer) => customer.customerId)).toEqual(['cus_existing']);
    });

    it('when a phone and an email of different customers are given, it finds none', async () => {
      // Arrange
      directory.addCustomer(
        aCustomer({ customerId: 'cus_other', phone: '+16175550144', email: 'other@example.com' }),
      );

      // Act
      const found = await findCustomers(
        directory,
        aDispatcher(),
        { phone: '6175550101', email: 'other@example.com' },
        page,
      );

      // Assert
      expect(found.items).toEqual([]);
    });

    it('when a name prefix is given, it pages through the customers whose name key starts with it', async () => {
      // Arrange
      for (const [customerId, nameKey] of [
        ['cus_a', 'dana ortiz'],
        ['cus_b', 'danae park'],
        ['cus_c', 'dan'],
      ] as const) {
        directory.addCustomer(
          aCustomer({ customerId, name: nameKey, nameKey, phone: undefined, email: undefined }),
        );
      }

      // Act
      const first = await findCustomers(directory, aDispatcher(), { name: 'DANA' }, { limit: 2 });
      const rest = await findCustomers(
        directory,
        aDispatcher(),
        { name: 'DANA' },
        { limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) },
      );

      // Assert
      expect([...first.items, ...rest.items].map((customer) => customer.nameKey)).toEqual([
        'dana ortiz',
        'dana whitfield',
        'danae park',
      ]);
      expect(rest.nextCursor).toBeUndefined();
    });

    it('when the phone is invalid, it refuses naming query.phone', async () => {
      // Act
      const error = await rejectionOf(findCustomers(directory, aDispatcher(), { phone: '12' }, page));

      // Assert
      expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual(['query.phone']);
    });
  });

  describe('customerWorkOrders', () => {
    it('when the customer has work orders, it lists theirs only', async () => {
      // Arrange
      const workOrders = new InMemoryWorkOrderStore(directory)
        .put(aWorkOrder({ workOrderId: 'wo_1' }))
        .put(aWorkOrder({ workOrderId: 'wo_2', customerId: 'cus_other' }));

      // Act
      const page = await customerWorkOrders({ directory, workOrders }, aDispatcher(), 'cus_existing', {
        limit: 10,
      });

      // Assert
      expect(page.items.map((workOrder) => workOrder.workOrderId)).toEqual(['wo_1']);
    });

    it('when the customer does not exist, it is not found', async () => {
      // Act
      const error = await rejectionOf(
        customerWorkOrders(dependencies, aDispatcher(), 'cus_unknown', { limit: 10 }),
      );

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });
  });
});
