import { describe, expect, it } from 'vitest';
import { auditEvent, changedFields } from '../../../../lambdas/domain/work-orders/work-order.ts';
import { aDispatcher, aWorkOrder } from '../../../fixtures/unit-records.ts';

describe('changedFields', () => {
  it('when an audited field changed, it records its value before and after', () => {
    // Arrange
    const before = aWorkOrder({ priority: 'routine' });
    const after = { ...before, priority: 'emergency' as const };

    // Act
    const changes = changedFields(before, after);

    // Assert
    expect(changes).toEqual({ priority: { before: 'routine', after: 'emergency' } });
  });

  it('when several audited fields changed, it records each of them and nothing else', () => {
    // Arrange
    const before = aWorkOrder({ status: 'new', accessNotes: 'Side door' });
    const after = { ...before, status: 'scheduled' as const, accessNotes: 'Gate code 1234' };

    // Act
    const changes = changedFields(before, after);

    // Assert
    expect(changes).toEqual({
      status: { before: 'new', after: 'scheduled' },
      accessNotes: { before: 'Side door', after: 'Gate code 1234' },
    });
  });

  it('when only bookkeeping fields changed, it records nothing', () => {
    // Arrange
    const before = aWorkOrder({ taskToken: 'token-1' });
    const after = {
      ...before,
      version: before.version + 1,
      updatedAt: '2025-03-12T16:00:00.000Z',
      workflowState: 'AwaitScheduling',
      workflowStateSince: '2025-03-12T16:00:00.000Z',
      taskToken: 'token-2',
    };

    // Act
    const changes = changedFields(before, after);

    // Assert
    expect(changes).toEqual({});
  });

  it('when an audited field was removed, it records its value before and none after', () => {
    // Arrange
    const before = aWorkOrder({ locationId: 'loc_home' });
    const { locationId: _removed, ...after } = before;

    // Act
    const changes = changedFields(before, after);

    // Assert
    expect(changes).toEqual({ locationId: { before: 'loc_home', after: undefined } });
  });

  it('when the work order is new, it records every audited field it has, with nothing before', () => {
    // Arrange
    const created = aWorkOrder({ accessNotes: undefined, serviceTypeId: undefined });

    // Act
    const changes = changedFields({}, created);

    // Assert
    expect(changes).toEqual({
      customerId: { before: undefined, after: 'cus_existing' },
      locationId: { before: undefined, after: 'loc_home' },
      description: { before: undefined, after: 'AC blows warm air' },
      priority: { before: undefined, after: 'routine' },
      status: { before: undefined, after: 'new' },
    });
  });
});

describe('auditEvent', () => {
  it('when built, it says who did what to which work order and when, with the changes', () => {
    // Arrange
    const before = aWorkOrder({ workOrderId: 'wo_42', status: 'new' });
    const after = { ...before, status: 'cancelled' as const, version: 2 };

    // Act
    const event = auditEvent({
      eventId: 'evt_7',
      action: 'cancelled',
      actor: aDispatcher({ id: 'user-9' }),
      at: '2025-03-12T16:00:00.000Z',
      before,
      after,
    });

    // Assert
    expect(event).toEqual({
      tenantId: 'ten_acme',
      workOrderId: 'wo_42',
      eventId: 'evt_7',
      action: 'cancelled',
      actorId: 'user-9',
      actorRole: 'dispatcher',
      at: '2025-03-12T16:00:00.000Z',
      changes: { status: { before: 'new', after: 'cancelled' } },
    });
  });
});
