import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../../lambdas/adapters/local/adjustable-clock.ts';
import { ConflictError } from '../../../lambdas/shared/errors.ts';
import { errorThrownBy } from '../support/caught-errors.ts';

const real = Date.parse('2025-03-14T12:00:00.000Z');

describe('AdjustableClock', () => {
  it('when never moved, it tells the real time', () => {
    // Arrange
    let now = real;
    const clock = new AdjustableClock(() => now);

    // Act
    now += 5_000;

    // Assert
    expect(clock.now().toISOString()).toBe('2025-03-14T12:00:05.000Z');
  });

  it('when advanced, it keeps running from the new time, and can be set forward to an instant', () => {
    // Arrange
    let now = real;
    const clock = new AdjustableClock(() => now);

    // Act
    clock.advance(90);
    now += 1_000;
    const set = clock.setTo(new Date('2025-04-01T00:00:00.000Z'));

    // Assert
    expect(set.toISOString()).toBe('2025-04-01T00:00:00.000Z');
    now += 60_000;
    expect(clock.now().toISOString()).toBe('2025-04-01T00:01:00.000Z');
    expect(clock.offsetMilliseconds).toBe(Date.parse('2025-04-01T00:00:00.000Z') - real - 1_000);
  });

  it('when asked to go back, it refuses with 409 and stays where it is', () => {
    // Arrange
    const clock = new AdjustableClock(() => real);
    clock.advance(60);

    // Act
    const backwards = errorThrownBy(() => clock.setTo(new Date(real)));
    const negative = errorThrownBy(() => clock.advance(-5));

    // Assert
    expect(backwards).toBeInstanceOf(ConflictError);
    expect((backwards as ConflictError).extensions).toMatchObject({ field: 'body.to' });
    expect(negative).toBeInstanceOf(ConflictError);
    expect(clock.now().toISOString()).toBe('2025-03-14T13:00:00.000Z');
  });

  it('when an offset is restored from an earlier run, it only ever moves the clock forward', () => {
    // Arrange
    const clock = new AdjustableClock(() => real);
    clock.advance(10);

    // Act
    clock.restore(60_000);
    clock.restore(3_600_000);

    // Assert
    expect(clock.offsetMilliseconds).toBe(3_600_000);
  });
});
