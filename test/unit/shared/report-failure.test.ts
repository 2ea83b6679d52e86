import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { operationalMetrics } from '../../../lambdas/shared/operational-metrics.ts';
import { logger, metrics } from '../../../lambdas/shared/powertools.ts';
import { reportFailure, reportNeedsAttention } from '../../../lambdas/shared/report-failure.ts';

describe('the operators’ counts', () => {
  let counted: MockInstance<typeof metrics.addMetric>;

  beforeEach(() => {
    counted = vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics);
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const names = () => counted.mock.calls.map(([name, , value]) => [name, value]);

  it('when a side effect fails after its change was saved, it counts one side-effect failure', () => {
    // Arrange
    const error = new Error('EventBridge is down');

    // Act
    reportFailure('WorkOrderCreated was not published', error);

    // Assert
    expect(names()).toEqual([[operationalMetrics.sideEffectFailures, 1]]);
  });

  it('when a customer message fails every attempt, it counts a failed customer message and no other failure', () => {
    // Arrange
    const error = new Error('InvalidParameter');

    // Act
    reportFailure('The reminder message ntf_1 by sms could not be delivered', error, 'customer-message');

    // Assert
    expect(names()).toEqual([[operationalMetrics.customerMessagesFailed, 1]]);
  });

  it('when a work order is newly flagged needs_attention, it counts one and logs which', () => {
    // Arrange
    const workOrder = { tenantId: 'ten_acme', workOrderId: 'wo_1' };

    // Act
    reportNeedsAttention(workOrder, 'States.TaskFailed');

    // Assert
    expect(names()).toEqual([[operationalMetrics.needsAttention, 1]]);
    expect(logger.warn).toHaveBeenCalledWith('A work order needs attention', {
      tenantId: 'ten_acme',
      workOrderId: 'wo_1',
      error: 'States.TaskFailed',
    });
  });
});
