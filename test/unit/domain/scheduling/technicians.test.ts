import { beforeEach, describe, expect, it } from 'vitest';
import {
  addTimeOff,
  createTechnician,
  getTechnician,
  listTechnicians,
  type Technician,
  type TechnicianDependencies,
  technicianProblems,
  updateTechnician,
} from '../../../../lambdas/domain/scheduling/technicians.ts';
import { ConflictError, NotFoundError, type ValidationError } from '../../../../lambdas/shared/errors.ts';
import { aDispatcher, anAdmin, aTechnicianUser, aTenant } from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryTechnicians } from '../../fakes/in-memory-technicians.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-12T15:30:00.000Z';

const aStoredTechnician = (overrides: Partial<Technician> = {}): Technician => ({
  tenantId: 'ten_acme',
  technicianId: 'tec_ana',
  name: 'Ana Ruiz',
  skills: ['hvac'],
  workingHours: { 1: [{ start: '08:00', end: '17:00' }] },
  timeOff: [],
  active: true,
  version: 1,
  createdAt: '2025-03-10T14:00:00.000Z',
  updatedAt: '2025-03-10T14:00:00.000Z',
  ...overrides,
});

const fieldsOf = (error: unknown) => (error as ValidationError).errors.map((problem) => problem.field);

describe('technicians', () => {
  let technicians: InMemoryTechnicians;
  let dependencies: TechnicianDependencies;

  beforeEach(() => {
    technicians = new InMemoryTechnicians().add(aStoredTechnician());
    dependencies = {
      technicians,
      tenants: new InMemoryDirectory().addTenant(aTenant()),
      clock: new SettableClock(now),
      ids: new SequentialIds(),
    };
  });

  describe('createTechnician', () => {
    it('when the details are valid, it stores them normalized, active, at version 1', async () => {
      // Act
      const technician = await createTechnician(dependencies, anAdmin(), {
        name: 'Dev Patel',
        phone: '(617) 555-0202',
        email: 'Dev@Example.COM',
        skills: ['Plumbing', ' gas ', 'plumbing'],
        homeBase: { latitude: 42.37, longitude: -71.11 },
        workingHours: {
          1: [
            { start: '13:00', end: '17:00' },
            { start: '08:00', end: '12:00' },
          ],
          0: [],
        },
        costRatePerHour: 4500,
      });

      // Assert
      expect(technician).toEqual({
        tenantId: 'ten_acme',
        technicianId: 'tec_0001',
        name: 'Dev Patel',
        phone: '+16175550202',
        email: 'dev@example.com',
        skills: ['plumbing', 'gas'],
        homeBase: { latitude: 42.37, longitude: -71.11 },
        workingHours: {
          1: [
            { start: '08:00', end: '12:00' },
            { start: '13:00', end: '17:00' },
          ],
        },
        timeOff: [],
        costRatePerHour: 4500,
        active: true,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      expect(await technicians.get('ten_acme', 'tec_0001')).toEqual(technician);
    });

    it('when a day has an interval ending before it starts, it answers 400 naming that end', async () => {
      // Act
      const error = await rejectionOf(
        createTechnician(dependencies, anAdmin(), {
          name: 'Late Shift',
          workingHours: {
            1: [
              { start: '08:00', end: '12:00' },
              { start: '18:00', end: '09:00' },
            ],
          },
        }),
      );

      // Assert
      expect(fieldsOf(error)).toEqual(['body.workingHours.1.1.end']);
      expect(await technicians.get('ten_acme', 'tec_0001')).toBeUndefined();
    });
  });

  describe('technicianProblems', () => {
    it('when intervals of a day overlap, it names the later one’s start; touching intervals are fine', () => {
      // Act
      const problems = technicianProblems(
        {
          workingHours: {
            2: [
              { start: '11:00', end: '15:00' },
              { start: '08:00', end: '12:00' },
            ],
            3: [
              { start: '08:00', end: '12:00' },
              { start: '12:00', end: '16:00' },
            ],
          },
        },
        'body',
      );

      // Assert
      expect(problems.map((problem) => problem.field)).toEqual(['body.workingHours.2.0.start']);
    });

    it('when times are not HH:mm, a weekday is not 0–6, coordinates are out of range or money is not whole minor units, it names each field', () => {
      // Act
      const problems = technicianProblems(
        {
          workingHours: { 1: [{ start: '8:00', end: '24:00' }], 7: [] } as never,
          homeBase: { latitude: 91, longitude: -181 },
          costRatePerHour: 45.5,
          skills: [' '],
        },
        'body',
      );

      // Assert
      expect(problems.map((problem) => problem.field).sort()).toEqual([
        'body.costRatePerHour',
        'body.homeBase.latitude',
        'body.homeBase.longitude',
        'body.skills',
        'body.workingHours.1.0.end',
        'body.workingHours.1.0.start',
        'body.workingHours.7',
      ]);
    });

    it('when the cost rate is negative, it is refused', () => {
      expect(technicianProblems({ costRatePerHour: -1 }, 'body')).toHaveLength(1);
    });
  });

  describe('getTechnician', () => {
    it('when a technician reads their own record, it is returned', async () => {
      expect((await getTechnician(technicians, aTechnicianUser(), 'tec_ana')).name).toBe('Ana Ruiz');
    });

    it('when a technician reads another technician, it answers 404', async () => {
      // Arrange
      technicians.add(aStoredTechnician({ technicianId: 'tec_ben', name: 'Ben' }));

      // Act
      const error = await rejectionOf(getTechnician(technicians, aTechnicianUser(), 'tec_ben'));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });

    it('when the technician is another tenant’s, it answers 404', async () => {
      const error = await rejectionOf(
        getTechnician(technicians, aDispatcher({ tenantId: 'ten_other' }), 'tec_ana'),
      );
      expect(error).toBeInstanceOf(NotFoundError);
    });
  });

  describe('listTechnicians', () => {
    it('when filtered by a skill in any case, it returns only those with the skill', async () => {
      // Arrange
      technicians.add(aStoredTechnician({ technicianId: 'tec_ben', skills: ['plumbing'] }));

      // Act
      const page = await listTechnicians(technicians, aDispatcher(), { skill: ' PLUMBING ' }, { limit: 25 });

      // Assert
      expect(page.items.map((technician) => technician.technicianId)).toEqual(['tec_ben']);
    });
  });

  describe('updateTechnician', () => {
    it('when the version read is current, it applies the changes and moves the version on', async () => {
      // Act
      const after = await updateTechnician(
        dependencies,
        anAdmin(),
        'tec_ana',
        { skills: ['HVAC', 'Gas'], active: false, costRatePerHour: 0 },
        1,
      );

      // Assert
      expect(after).toMatchObject({ skills: ['hvac', 'gas'], active: false, costRatePerHour: 0, version: 2 });
      expect(after.workingHours).toEqual(aStoredTechnician().workingHours);
      expect(await technicians.get('ten_acme', 'tec_ana')).toEqual(after);
    });

    it('when the version read is stale, it answers 409 with the current version', async () => {
      // Act
      const error = await rejectionOf(updateTechnician(dependencies, anAdmin(), 'tec_ana', { name: 'X' }, 3));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toEqual({ currentVersion: 1 });
    });

    it('when another change is written between the read and the write, it answers 409', async () => {
      // Arrange
      technicians.beforeNextUpdate(() => technicians.add(aStoredTechnician({ version: 2 })));

      // Act
      const error = await rejectionOf(updateTechnician(dependencies, anAdmin(), 'tec_ana', { name: 'X' }));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
    });
  });

  describe('addTimeOff', () => {
    const vacation = {
      start: '2025-04-01T00:00:00-04:00',
      end: '2025-04-05T00:00:00-04:00',
      reason: 'Vacation',
    };

    it('when it does not overlap, it is recorded in start order', async () => {
      // Arrange
      technicians.add(
        aStoredTechnician({ timeOff: [{ start: '2025-05-01T12:00:00Z', end: '2025-05-01T16:00:00Z' }] }),
      );

      // Act
      const after = await addTimeOff(dependencies, aDispatcher(), 'tec_ana', vacation);

      // Assert
      expect(after.timeOff).toEqual([
        vacation,
        { start: '2025-05-01T12:00:00Z', end: '2025-05-01T16:00:00Z' },
      ]);
      expect(after.version).toBe(2);
    });

    it('when it overlaps recorded time off, it answers 409; time off ending as it starts is fine', async () => {
      // Arrange
      await addTimeOff(dependencies, aDispatcher(), 'tec_ana', vacation);

      // Act
      const overlapping = await rejectionOf(
        addTimeOff(dependencies, aDispatcher(), 'tec_ana', {
          start: '2025-04-04T12:00:00Z',
          end: '2025-04-06T12:00:00Z',
        }),
      );
      const adjacent = await addTimeOff(dependencies, aDispatcher(), 'tec_ana', {
        start: '2025-04-05T04:00:00Z',
        end: '2025-04-06T04:00:00Z',
      });

      // Assert
      expect(overlapping).toBeInstanceOf(ConflictError);
      expect(adjacent.timeOff).toHaveLength(2);
    });

    it('when overlapping time off is recorded concurrently, it reads again and answers 409', async () => {
      // Arrange
      technicians.beforeNextUpdate(() =>
        technicians.add(aStoredTechnician({ version: 2, timeOff: [vacation] })),
      );

      // Act
      const error = await rejectionOf(addTimeOff(dependencies, aDispatcher(), 'tec_ana', vacation));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect(technicians.updateAttempts).toBe(1);
    });

    it('when it ends before it starts, it answers 400 naming the end', async () => {
      const error = await rejectionOf(
        addTimeOff(dependencies, aDispatcher(), 'tec_ana', { start: vacation.end, end: vacation.start }),
      );
      expect(fieldsOf(error)).toEqual(['body.end']);
    });
  });
});
