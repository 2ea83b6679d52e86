import type { MessageAttachment } from './notification.ts';

/** A booked visit as the customer's calendar holds it. */
export interface AppointmentEvent {
  /** The work order: the event's UID, so an update of the booking replaces the entry. */
  workOrderId: string;
  tenantName: string;
  /** ISO 8601 instants (any offset); written in UTC. */
  start: string;
  end: string;
  summary: string;
  location?: string;
  description?: string;
  /**
   * Increases with every change of the booking (the work order's version does), so calendars
   * take a newer entry over an older one.
   */
  sequence: number;
  /** When the entry was made (DTSTAMP). */
  stamp: Date;
  /** A cancelled visit's entry takes it off the calendar. */
  cancelled?: boolean;
}

const crlf = '\r\n';
const maxOctets = 75;

/** An instant in the iCalendar UTC form, `20270315T140000Z`. */
const utc = (instant: string | Date) =>
  new Date(instant)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** TEXT escaped as RFC 5545 §3.3.11 asks: backslash, semicolon, comma and line breaks. */
export const escapeText = (text: string) =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');

/**
 * A content line folded at 75 octets (RFC 5545 §3.1): each continuation starts with a space and
 * no UTF-8 character is split between lines.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = Buffer.byteLength(character, 'utf8');
    // The first line holds 75 octets; each continuation 74 after its leading space.
    const limit = parts.length === 0 ? maxOctets : maxOctets - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${crlf} `);
}

/** A safe UID domain part from the tenant's name (`acme-heating-air`). */
const uidDomainOf = (tenantName: string) =>
  `${
    tenantName
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'field-service'
  }.work-orders`;

/**
 * The visit as an RFC 5545 calendar (`VCALENDAR` with one `VEVENT`), CRLF line ends, long lines
 * folded, text escaped: the UID stays the work order's, the SEQUENCE grows with each change.
 */
export function appointmentCalendar(event: AppointmentEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//${escapeText(event.tenantName)}//Field Service Work Orders//EN`,
    'CALSCALE:GREGORIAN',
    `METHOD:${event.cancelled ? 'CANCEL' : 'PUBLISH'}`,
    'BEGIN:VEVENT',
    `UID:${event.workOrderId}@${uidDomainOf(event.tenantName)}`,
    `DTSTAMP:${utc(event.stamp)}`,
    `DTSTART:${utc(event.start)}`,
    `DTEND:${utc(event.end)}`,
    `SEQUENCE:${Math.max(0, Math.floor(event.sequence))}`,
    `SUMMARY:${escapeText(event.summary)}`,
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    `STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(crlf) + crlf;
}

/** The calendar entry as an email attachment (`appointment.ics`). */
export function appointmentCalendarAttachment(event: AppointmentEvent): MessageAttachment {
  return {
    filename: 'appointment.ics',
    contentType: `text/calendar; charset=utf-8; method=${event.cancelled ? 'CANCEL' : 'PUBLISH'}`,
    content: appointmentCalendar(event),
  };
}
