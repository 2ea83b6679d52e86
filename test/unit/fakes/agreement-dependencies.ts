import type { AgreementDependencies } from '../../../lambdas/domain/agreements/manage-agreements.ts';
import { aCustomer, aLocation, aServiceType, aTenant } from '../../fixtures/unit-records.ts';
import { InMemoryAgreements } from './in-memory-agreements.ts';
import { InMemoryDirectory } from './in-memory-directory.ts';
import { RecordingScheduler } from './recording-scheduler.ts';
import { SequentialIds } from './sequential-ids.ts';
import { SettableClock } from './settable-clock.ts';

/**
 * What the agreement use cases run on in unit tests: the tenant with its customer, the
 * customer's home, a neighbour's home and the AC repair service type, on Thursday 20 March 2025
 * at 11:00 in Boston.
 */
export function agreementDependencies() {
  const agreements = new InMemoryAgreements();
  const scheduler = new RecordingScheduler();
  const deps: AgreementDependencies = {
    agreements,
    directory: new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer())
      .addLocation(aLocation())
      .addLocation(aLocation({ locationId: 'loc_neighbour', customerId: 'cus_other' }))
      .addServiceType('ten_acme', aServiceType()),
    scheduler,
    clock: new SettableClock('2025-03-20T15:00:00.000Z'),
    ids: new SequentialIds(),
  };
  return { agreements, scheduler, deps };
}
