import { describe, expect, it } from 'vitest';
import {
  durationEstimateFor,
  estimateDuration,
} from '../../../../lambdas/domain/catalog/duration-estimate.ts';
import { jobDurationOf } from '../../../../lambdas/domain/catalog/job-duration.ts';
import { aWorkOrderAt } from '../../../fixtures/unit-records.ts';
import { InMemoryJobDurations } from '../../fakes/in-memory-job-durations.ts';

describe('estimateDuration', () => {
  it.each([[[]], [[45]], [[30, 40, 50, 60]]])(
    'when there are fewer than five past jobs (%j), it keeps the catalogue minutes as they are',
    (samples) => {
      // Act
      const estimate = estimateDuration(100, samples);

      // Assert
      expect(estimate).toEqual({ minutes: 100, basis: 'service type', sampleCount: samples.length });
    },
  );

  it('when there are five past jobs, it takes the middle one, in whatever order they come', () => {
    expect(estimateDuration(100, [240, 30, 45, 60, 75])).toEqual({
      minutes: 60,
      basis: 'past jobs',
      sampleCount: 5,
    });
  });

  it('when the count is even, it takes the mean of the middle two', () => {
    // The middle two are 60 and 90: 75, a quarter hour already.
    expect(estimateDuration(100, [30, 60, 90, 120, 45, 200]).minutes).toBe(75);
  });

  it.each([
    [[61, 61, 61, 61, 61], 75],
    [[60, 60, 60, 60, 60], 60],
    [[44, 46, 46, 46, 47], 60],
    [[10, 50, 50, 51, 90, 90], 60],
    [[10, 45, 45, 46, 90, 90], 60],
    [[10, 60, 60, 61, 90, 90], 75],
  ])('when the median is not a whole quarter hour (%j), it rounds it up to one: %i', (samples, minutes) => {
    expect(estimateDuration(100, samples).minutes).toBe(minutes);
  });

  it('when the median is under 15 minutes, it estimates 15', () => {
    expect(estimateDuration(100, [1, 2, 3, 4, 5])).toMatchObject({ minutes: 15, basis: 'past jobs' });
  });

  it('when the median is over 12 hours, it estimates 12 hours', () => {
    expect(estimateDuration(100, [800, 900, 1_000, 2_000, 3_000])).toMatchObject({
      minutes: 720,
      basis: 'past jobs',
    });
  });

  it('when some durations are not positive numbers, it leaves them out of the count', () => {
    expect(estimateDuration(100, [0, -5, Number.NaN, 30, 40, 50, 60])).toEqual({
      minutes: 100,
      basis: 'service type',
      sampleCount: 4,
    });
  });
});

describe('durationEstimateFor', () => {
  it('when more jobs are recorded than it considers, it estimates from the 50 most recent', async () => {
    // Arrange: 50 recent one-hour jobs, and 30 older four-hour ones
    const durations = new InMemoryJobDurations();
    for (let job = 0; job < 80; job += 1) {
      durations.put({
        tenantId: 'ten_acme',
        serviceTypeId: 'svc_ac_repair',
        workOrderId: `wo_${String(job).padStart(3, '0')}`,
        completedAt: new Date(Date.UTC(2025, 0, 1) + job * 86_400_000).toISOString(),
        minutes: job < 30 ? 240 : 60,
      });
    }

    // Act
    const estimate = await durationEstimateFor(durations, 'ten_acme', 'svc_ac_repair', 90);

    // Assert
    expect(estimate).toEqual({ minutes: 60, basis: 'past jobs', sampleCount: 50 });
  });
});

describe('jobDurationOf', () => {
  const completedAt = '2025-03-14T15:00:00.000Z';

  it('when the arrival is known, it measures from arrival to completion in whole minutes', () => {
    const workOrder = aWorkOrderAt('completed', { completedAt, arrivedAt: '2025-03-14T13:19:40.000Z' });

    expect(jobDurationOf(workOrder)).toEqual({
      tenantId: 'ten_acme',
      serviceTypeId: 'svc_ac_repair',
      workOrderId: 'wo_existing',
      completedAt,
      minutes: 100,
      technicianId: 'tec_ana',
    });
  });

  it('when work stood paused on site, the minutes paused do not count', () => {
    // Arrange
    const workOrder = aWorkOrderAt('completed', {
      completedAt,
      arrivedAt: '2025-03-14T13:00:00.000Z',
      pausedMinutes: 45,
    });

    // Act
    const sample = jobDurationOf(workOrder);

    // Assert
    expect(sample?.minutes).toBe(75);
  });

  it('when there is no arrival, it takes the labor minutes', () => {
    expect(jobDurationOf(aWorkOrderAt('completed', { completedAt }))?.minutes).toBe(95);
  });

  it('when neither arrival nor labor is known, or there is no service type, there is no sample', () => {
    expect(jobDurationOf(aWorkOrderAt('completed', { laborMinutes: undefined }))).toBeUndefined();
    expect(jobDurationOf(aWorkOrderAt('completed', { serviceTypeId: undefined }))).toBeUndefined();
  });
});
