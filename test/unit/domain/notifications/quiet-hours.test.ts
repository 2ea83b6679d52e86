import { describe, expect, it } from 'vitest';
import { quietHoursEnd } from '../../../../lambdas/domain/notifications/quiet-hours.ts';

const nights = { start: '21:00', end: '08:00' };
const zone = 'America/New_York';

describe('quietHoursEnd', () => {
  it.each([
    ['late evening', '2025-03-12T02:30:00.000Z', '2025-03-12T12:00:00.000Z'], // 22:30 EDT → 08:00 next day
    ['just after midnight', '2025-03-12T04:15:00.000Z', '2025-03-12T12:00:00.000Z'], // 00:15 EDT
    ['the first minute', '2025-03-12T01:00:00.000Z', '2025-03-12T12:00:00.000Z'], // 21:00 EDT
  ])('when it is %s inside hours that wrap past midnight, they end at 08:00 local', (_case, now, end) => {
    // Arrange
    const at = new Date(now);

    // Act
    const result = quietHoursEnd(nights, at, zone);

    // Assert
    expect(result?.toISOString()).toBe(end);
  });

  it.each([
    ['morning', '2025-03-12T12:00:00.000Z'], // 08:00 EDT, the end itself
    ['afternoon', '2025-03-12T19:00:00.000Z'], // 15:00 EDT
    ['a minute before', '2025-03-13T00:59:00.000Z'], // 20:59 EDT
  ])('when it is %s outside the hours, nothing is held', (_case, now) => {
    // Arrange
    const at = new Date(now);

    // Act
    const result = quietHoursEnd(nights, at, zone);

    // Assert
    expect(result).toBeUndefined();
  });

  it('when the hours lie within one day, only that stretch is quiet', () => {
    // Arrange
    const lunch = { start: '12:00', end: '13:30' };

    // Act
    const inside = quietHoursEnd(lunch, new Date('2025-03-12T16:15:00.000Z'), zone); // 12:15 EDT
    const outside = quietHoursEnd(lunch, new Date('2025-03-12T18:00:00.000Z'), zone); // 14:00 EDT

    // Assert
    expect(inside?.toISOString()).toBe('2025-03-12T17:30:00.000Z');
    expect(outside).toBeUndefined();
  });

  it('when the clocks go forward during the night, the hours end at 08:00 local, now daylight time', () => {
    // Arrange: 22:00 EST on Saturday 8 March 2025; the clocks go forward at 02:00 that night.
    const at = new Date('2025-03-09T03:00:00.000Z');

    // Act
    const result = quietHoursEnd(nights, at, zone);

    // Assert: 08:00 EDT is 12:00 UTC, a 9-hour night.
    expect(result?.toISOString()).toBe('2025-03-09T12:00:00.000Z');
  });

  it('when the clocks go back during the night, the hours end at 08:00 local, now standard time', () => {
    // Arrange: 23:00 EDT on Saturday 1 November 2025; the clocks go back at 02:00 that night.
    const at = new Date('2025-11-02T03:00:00.000Z');

    // Act
    const result = quietHoursEnd(nights, at, zone);

    // Assert: 08:00 EST is 13:00 UTC, an 11-hour night.
    expect(result?.toISOString()).toBe('2025-11-02T13:00:00.000Z');
  });

  it('when the hours end at a time the clocks skip, they end at the same time after the change', () => {
    // Arrange: quiet until 02:30, which does not exist on 9 March 2025 in New York.
    const at = new Date('2025-03-09T06:30:00.000Z'); // 01:30 EST

    // Act
    const result = quietHoursEnd({ start: '23:00', end: '02:30' }, at, zone);

    // Assert: 03:30 EDT.
    expect(result?.toISOString()).toBe('2025-03-09T07:30:00.000Z');
  });

  it('when no hours are set, or they start when they end, nothing is held', () => {
    // Arrange
    const at = new Date('2025-03-12T03:00:00.000Z');

    // Act
    const none = quietHoursEnd(undefined, at, zone);
    const empty = quietHoursEnd({ start: '21:00', end: '21:00' }, at, zone);

    // Assert
    expect(none).toBeUndefined();
    expect(empty).toBeUndefined();
  });
});
