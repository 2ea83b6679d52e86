import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

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
}

export interface Customer {
  tenantId: string;
  customerId: string;
  name: string;
  nameKey: string;
  phone?: string;
  email?: string;
  billingAddress?: Address;
  createdAt: string;
  updatedAt: string;
}

export interface ServiceLocation {
  tenantId: string;
  locationId: string;
  customerId: string;
  address: Address;
  latitude?: number;
  longitude?: number;
  accessNotes?: string;
  createdAt: string;
  updatedAt: string;
}

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
