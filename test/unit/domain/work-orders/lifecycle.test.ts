import { describe, expect, it } from 'vitest';
import { allowedActions, canSee, mayAttempt } from '../../../../lambdas/domain/work-orders/lifecycle.ts';
import type { WorkOrderStatus } from '../../../../lambdas/domain/work-orders/work-order.ts';
import {
  aDispatcher,
  anAdmin,
  aTechnicianUser,
  aWorkOrder,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';

describe('allowedActions', () => {
  describe('for the office', () => {
    it.each<[WorkOrderStatus, string[]]>([
      ['new', ['schedule', 'cancel', 'hold']],
      ['scheduled', ['reschedule', 'dispatch', 'cancel', 'hold']],
      ['dispatched', ['reschedule', 'startTravel', 'cancel', 'hold']],
      ['en_route', ['reschedule', 'arrive', 'reportDelay', 'cancel']],
      ['arrived', ['startWork', 'pause', 'cancel']],
      ['in_progress', ['reportDelay', 'pause', 'complete', 'cancel']],
      ['paused', ['resumeWork', 'cancel']],
      ['completed', ['approveInvoice']],
      ['invoiced', ['recordPayment']],
      ['paid', []],
      ['on_hold', ['cancel', 'resume']],
      ['cancelled', []],
    ])('when the work order is %s, it allows %j', (status, expected) => {
      // Arrange
      const workOrder = aWorkOrderAt(status);

      // Act
      const actions = allowedActions(workOrder, aDispatcher());

      // Assert
      expect(actions).toEqual(expected);
    });

    it('when the actor is an admin, it allows what a dispatcher may do', () => {
      // Arrange
      const workOrder = aWorkOrderAt('scheduled');

      // Act
      const actions = allowedActions(workOrder, anAdmin());

      // Assert
      expect(actions).toEqual(allowedActions(workOrder, aDispatcher()));
    });

    it('when the actor is the workflow, it allows what the office may do', () => {
      // Arrange
      const workOrder = aWorkOrderAt('in_progress');

      // Act
      const actions = allowedActions(workOrder, { tenantId: 'ten_acme', id: 'workflow', role: 'system' });

      // Assert
      expect(actions).toEqual(['reportDelay', 'pause', 'complete', 'cancel']);
    });
  });

  describe('for the assigned technician', () => {
    it.each<[WorkOrderStatus, string[]]>([
      ['dispatched', ['startTravel']],
      ['en_route', ['arrive', 'reportDelay']],
      ['arrived', ['startWork', 'pause']],
      ['in_progress', ['reportDelay', 'pause', 'complete']],
      ['paused', ['resumeWork']],
      ['completed', []],
      ['invoiced', []],
      ['paid', []],
      ['on_hold', []],
    ])('when the work order is %s, it allows only the field actions %j', (status, expected) => {
      // Arrange
      const workOrder = aWorkOrderAt(status, { technicianId: 'tec_ana' });

      // Act
      const actions = allowedActions(workOrder, aTechnicianUser());

      // Assert
      expect(actions).toEqual(expected);
    });
  });

  it('when the technician is not the one assigned, it allows nothing', () => {
    // Arrange
    const workOrder = aWorkOrderAt('in_progress', { technicianId: 'tec_bo' });

    // Act
    const actions = allowedActions(workOrder, aTechnicianUser());

    // Assert
    expect(actions).toEqual([]);
  });
});

describe('mayAttempt', () => {
  it('when a technician attempts an office action on their own work order, it refuses', () => {
    // Arrange
    const workOrder = aWorkOrderAt('dispatched');

    // Act
    const allowed = mayAttempt(aTechnicianUser(), 'cancel', workOrder);

    // Assert
    expect(allowed).toBe(false);
  });

  it('when a technician attempts a field action on their own work order, it allows it whatever the status', () => {
    // Arrange
    const workOrder = aWorkOrderAt('completed');

    // Act
    const allowed = mayAttempt(aTechnicianUser(), 'arrive', workOrder);

    // Assert
    expect(allowed).toBe(true);
  });

  it('when the office attempts a field action, it allows it', () => {
    // Act
    const allowed = mayAttempt(aDispatcher(), 'startTravel', aWorkOrderAt('dispatched'));

    // Assert
    expect(allowed).toBe(true);
  });
});

describe('canSee', () => {
  it('when the technician is the one assigned, they see the work order', () => {
    // Act
    const visible = canSee(aTechnicianUser(), aWorkOrder({ technicianId: 'tec_ana' }));

    // Assert
    expect(visible).toBe(true);
  });

  it('when another technician is assigned, the technician does not see it', () => {
    // Act
    const visible = canSee(aTechnicianUser(), aWorkOrder({ technicianId: 'tec_bo' }));

    // Assert
    expect(visible).toBe(false);
  });

  it('when no technician is assigned yet, a technician does not see it', () => {
    // Act
    const visible = canSee(aTechnicianUser(), aWorkOrder({ technicianId: undefined }));

    // Assert
    expect(visible).toBe(false);
  });

  it('when a technician user has no technician record, they see nothing, not even unassigned work', () => {
    // Act
    const visible = canSee(
      aTechnicianUser({ technicianId: undefined }),
      aWorkOrder({ technicianId: undefined }),
    );

    // Assert
    expect(visible).toBe(false);
  });

  it.each([
    ['dispatcher', aDispatcher()],
    ['admin', anAdmin()],
  ])('when the actor is a %s, they see every work order of the tenant', (_role, actor) => {
    // Act
    const visible = canSee(actor, aWorkOrder({ technicianId: 'tec_bo' }));

    // Assert
    expect(visible).toBe(true);
  });
});
