import { describe, expect, it } from 'vitest';
import { LocalCalendar } from '../../../../lambdas/domain/scheduling/local-time.ts';

const iso = (instant: number) => new Date(instant).toISOString();
const localDayBounds = (date: string, timeZone: string) => {
  const { start, end } = new LocalCalendar(timeZone).dayBounds(date);
  return { start: iso(start), end: iso(end) };
};
const localInstant = (date: string, time: string, timeZone: string) =>
  iso(new LocalCalendar(timeZone).instantOf(date, time));
const hoursBetween = ({ start, end }: { start: string; end: string }) =>
  (Date.parse(end) - Date.parse(start)) / 3_600_000;

describe('LocalCalendar.dayBounds', () => {
  it('when the day is an ordinary one, it runs from local midnight to local midnight, 24 hours', () => {
    // Act
    const day = localDayBounds('2027-06-15', 'America/New_York');

    // Assert
    expect(day).toEqual({ start: '2027-06-15T04:00:00.000Z', end: '2027-06-16T04:00:00.000Z' });
  });

  it('when the clocks go forward that night, the day lasts 23 hours', () => {
    // Act
    const day = localDayBounds('2027-03-14', 'America/New_York');

    // Assert
    expect(day).toEqual({ start: '2027-03-14T05:00:00.000Z', end: '2027-03-15T04:00:00.000Z' });
    expect(hoursBetween(day)).toBe(23);
  });

  it('when the clocks go back that night, the day lasts 25 hours', () => {
    // Act
    const day = localDayBounds('2027-11-07', 'America/New_York');

    // Assert
    expect(day).toEqual({ start: '2027-11-07T04:00:00.000Z', end: '2027-11-08T05:00:00.000Z' });
    expect(hoursBetween(day)).toBe(25);
  });

  it('when the day is the last of a month or a year, it ends at the next one’s midnight', () => {
    // Act
    const february = localDayBounds('2028-02-29', 'Europe/Berlin');
    const newYearsEve = localDayBounds('2027-12-31', 'Pacific/Auckland');

    // Assert
    expect(february).toEqual({ start: '2028-02-28T23:00:00.000Z', end: '2028-02-29T23:00:00.000Z' });
    expect(newYearsEve).toEqual({ start: '2027-12-30T11:00:00.000Z', end: '2027-12-31T11:00:00.000Z' });
  });

  it('when midnight itself is skipped by the change, the day starts at the first local hour that exists', () => {
    // Act: São Paulo moved its clocks from 00:00 to 01:00 on 4 November 2018.
    const day = localDayBounds('2018-11-04', 'America/Sao_Paulo');

    // Assert
    expect(day.start).toBe('2018-11-04T03:00:00.000Z');
    expect(hoursBetween(day)).toBe(23);
  });

  it('when the zone is UTC, the day is the calendar day', () => {
    // Act / Assert
    expect(localDayBounds('2027-03-14', 'UTC')).toEqual({
      start: '2027-03-14T00:00:00.000Z',
      end: '2027-03-15T00:00:00.000Z',
    });
  });
});

describe('LocalCalendar.instantOf', () => {
  it('when the same local time falls on either side of a change, it is a different UTC hour', () => {
    // Act / Assert
    expect(localInstant('2027-03-13', '08:00', 'America/New_York')).toBe('2027-03-13T13:00:00.000Z');
    expect(localInstant('2027-03-14', '08:00', 'America/New_York')).toBe('2027-03-14T12:00:00.000Z');
    expect(localInstant('2027-11-06', '08:00', 'America/New_York')).toBe('2027-11-06T12:00:00.000Z');
    expect(localInstant('2027-11-07', '08:00', 'America/New_York')).toBe('2027-11-07T13:00:00.000Z');
  });

  it('when the local time is skipped or repeated, it takes the time after the jump and the first occurrence', () => {
    // Act / Assert
    expect(localInstant('2027-03-14', '02:30', 'America/New_York')).toBe('2027-03-14T07:30:00.000Z');
    expect(localInstant('2027-11-07', '01:30', 'America/New_York')).toBe('2027-11-07T05:30:00.000Z');
  });
});

describe('LocalCalendar.dayOf and timeOf', () => {
  it('when an instant is read back, it gives the local day and time, also in the repeated hour', () => {
    // Arrange
    const calendar = new LocalCalendar('America/New_York');

    // Act / Assert
    expect(calendar.dayOf('2027-11-07T04:30:00.000Z')).toBe('2027-11-07');
    expect(calendar.dayOf('2027-11-07T03:59:00.000Z')).toBe('2027-11-06');
    expect(calendar.timeOf('2027-11-07T05:30:00.000Z')).toBe('01:30');
    expect(calendar.timeOf('2027-11-07T06:30:00.000Z')).toBe('01:30');
  });
});
