import { describe, expect, it } from 'vitest';
import {
  type AppointmentEvent,
  appointmentCalendar,
  appointmentCalendarAttachment,
  escapeText,
  foldLine,
} from '../../../../lambdas/domain/notifications/appointment-calendar.ts';

const aVisit = (overrides: Partial<AppointmentEvent> = {}): AppointmentEvent => ({
  workOrderId: 'wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
  tenantName: 'Acme Heating & Cooling',
  start: '2025-03-14T08:00:00-04:00',
  end: '2025-03-14T12:00:00-04:00',
  summary: 'AC repair visit (Acme Heating & Cooling)',
  location: '12 Elm Street, Boston, MA 02118',
  description: 'Arrival Fri Mar 14 between 8:00 AM and 12:00 PM.\nThe technician will call when on the way.',
  sequence: 3,
  stamp: new Date('2025-03-12T15:30:00.000Z'),
  ...overrides,
});

/** The content lines with folds undone, as a calendar reads them. */
const unfolded = (calendar: string) => calendar.replace(/\r\n /g, '').split('\r\n');

describe('appointment calendar', () => {
  it('when a visit is written, it is one VEVENT in a VCALENDAR with the times in UTC', () => {
    // Arrange
    const visit = aVisit();

    // Act
    const lines = unfolded(appointmentCalendar(visit));

    // Assert
    expect(lines).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Acme Heating & Cooling//Field Service Work Orders//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'UID:wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3@acme-heating-cooling.work-orders',
      'DTSTAMP:20250312T153000Z',
      'DTSTART:20250314T120000Z',
      'DTEND:20250314T160000Z',
      'SEQUENCE:3',
      'SUMMARY:AC repair visit (Acme Heating & Cooling)',
      'LOCATION:12 Elm Street\\, Boston\\, MA 02118',
      'DESCRIPTION:Arrival Fri Mar 14 between 8:00 AM and 12:00 PM.\\nThe technician will call when on the way.',
      'STATUS:CONFIRMED',
      'TRANSP:OPAQUE',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
  });

  it('when the booking changes, the UID stays and the SEQUENCE grows', () => {
    // Arrange
    const first = aVisit({ sequence: 3 });
    const moved = aVisit({
      sequence: 7,
      start: '2025-03-15T08:00:00-04:00',
      end: '2025-03-15T12:00:00-04:00',
    });

    // Act
    const [before, after] = [first, moved].map((visit) => unfolded(appointmentCalendar(visit)));

    // Assert
    const field = (lines: string[], name: string) => lines.find((line) => line.startsWith(`${name}:`));
    expect(field(after ?? [], 'UID')).toBe(field(before ?? [], 'UID'));
    expect(field(after ?? [], 'SEQUENCE')).toBe('SEQUENCE:7');
  });

  it('when written, every line ends with CRLF and none is longer than 75 octets', () => {
    // Arrange
    const visit = aVisit({
      description: `Gate code 4412; the dog “Bruno” is friendly — ${'ünïcödé '.repeat(20)}`,
    });

    // Act
    const calendar = appointmentCalendar(visit);

    // Assert
    expect(calendar.endsWith('\r\n')).toBe(true);
    expect(calendar.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of calendar.split('\r\n'))
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });

  it('when a line is folded, no character is split and unfolding gives the line back', () => {
    // Arrange: 12 octets of name and 100 two-octet characters.
    const line = `DESCRIPTION:${'é'.repeat(100)}`;

    // Act
    const folded = foldLine(line);

    // Assert: 74 octets (a 76th would split an é), then a space and 37 é, then the rest.
    expect(folded.split('\r\n ').join('')).toBe(line);
    expect(folded.split('\r\n').map((part) => Buffer.byteLength(part, 'utf8'))).toEqual([74, 75, 65]);
  });

  it('when a line of four-octet characters is folded, no character is cut in half', () => {
    // Arrange
    const line = `SUMMARY:${'🔧'.repeat(40)}`;

    // Act
    const parts = foldLine(line).split('\r\n');

    // Assert
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const part of parts) {
      expect(part).not.toMatch(loneSurrogate);
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    }
    expect(parts.map((part, index) => (index === 0 ? part : part.slice(1))).join('')).toBe(line);
  });

  it('when text holds commas, semicolons, backslashes and line breaks, they are escaped', () => {
    // Arrange
    const text = 'Back door; ring twice, then wait\\knock\r\nDog: friendly';

    // Act
    const escaped = escapeText(text);

    // Assert
    expect(escaped).toBe('Back door\\; ring twice\\, then wait\\\\knock\\nDog: friendly');
  });

  it('when the visit is cancelled, the entry says so and asks calendars to remove it', () => {
    // Arrange
    const visit = aVisit({ cancelled: true, sequence: 9 });

    // Act
    const attachment = appointmentCalendarAttachment(visit);

    // Assert
    expect(attachment.contentType).toBe('text/calendar; charset=utf-8; method=CANCEL');
    expect(unfolded(attachment.content)).toEqual(
      expect.arrayContaining(['METHOD:CANCEL', 'STATUS:CANCELLED']),
    );
  });

  it('when attached to an email, it is appointment.ics of type text/calendar', () => {
    // Arrange
    const visit = aVisit();

    // Act
    const attachment = appointmentCalendarAttachment(visit);

    // Assert
    expect(attachment).toEqual({
      filename: 'appointment.ics',
      contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      content: appointmentCalendar(visit),
    });
  });
});
