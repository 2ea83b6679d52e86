import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { MessagingSettings } from '../notifications/notification.ts';

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

export interface Tenant {
  tenantId: string;
  name: string;
  timeZone: string;
  currency: string;
  /** ISO 3166-1 alpha-2: the default country for phone numbers written without one. */
  country: string;
  /** How the tenant offers times; unset parts take the defaults (`schedulingSettingsOf`). */
  scheduling?: {
    arrivalWindows?: TimeRange[];
    slotStepMinutes?: number;
    averageSpeedKmh?: number;
  };
  /** Message templates overriding the defaults, and quiet hours (`MessagingSettings`). */
  messaging?: MessagingSettings;
}

export interface Customer {
  tenantId: string;
  customerId: string;
  name: string;
  nameKey: string;
  phone?: string;
  email?: string;
  billingAddress?: Address;
  contactPreferences?: ContactPreferences;
  /** When the customer opted out of each channel (SMS `STOP`, or the office); absent: opted in. */
  optedOut?: { sms?: string; email?: string };
  /** Optimistic concurrency of updates; a customer never updated has none (read as 1). */
  version?: number;
  createdAt: string;
  updatedAt: string;
}

/** Local times `HH:MM` in the tenant's time zone. */
export interface TimeRange {
  start: string;
  end: string;
}

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

export interface ContactPreferences {
  channel?: 'sms' | 'email';
  /** No messages between these local times (may wrap past midnight). */
  quietHours?: TimeRange;
  preferredDays?: Weekday[];
  /** Local time windows the customer prefers for visits. */
  timeWindows?: TimeRange[];
}

export interface ServiceLocation {
  tenantId: string;
  locationId: string;
  customerId: string;
  address: Address;
  latitude?: number;
  longitude?: number;
  accessNotes?: string;
  gateCode?: string;
  pets?: string;
  /** The place's sales tax rate in parts per million, when it differs from the tenant's (invoices). */
  taxRatePerMillion?: number;
  version?: number;
  createdAt: string;
  updatedAt: string;
}

/** A unit at a service location (AC condenser, water heater, panel), with its warranty terms. */
export interface Equipment {
  tenantId: string;
  equipmentId: string;
  locationId: string;
  customerId: string;
  type: string;
  make?: string;
  model?: string;
  serialNumber?: string;
  /** Local days `YYYY-MM-DD`. */
  installedOn?: string;
  warrantyEndsOn?: string;
  warrantyMonths?: number;
  createdAt: string;
  updatedAt: string;
}

export type ContactKind = 'phone' | 'email';

/** A phone number in E.164, read in the tenant's country unless it carries its own; undefined if invalid. */
export function normalizePhone(raw: string, defaultCountry: string): string | undefined {
  const parsed = parsePhoneNumberFromString(raw, defaultCountry as CountryCode);
  return parsed?.isValid() ? parsed.number : undefined;
}

export const normalizeEmail = (raw: string): string => raw.trim().toLowerCase();

/** The key of name-prefix lookups: lower case, accents and punctuation dropped, spaces collapsed. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** What the technician needs to get in, from the location: its notes, gate code and pets. */
export function locationAccess(location: ServiceLocation | undefined): string | undefined {
  if (!location) return undefined;
  const parts = [
    location.accessNotes,
    location.gateCode ? `Gate code ${location.gateCode}` : undefined,
    location.pets ? `Pets: ${location.pets}` : undefined,
  ].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join('; ') : undefined;
}
