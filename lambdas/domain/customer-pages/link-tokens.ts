import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * What a customer link lets its holder do: see the appointment (`view`), sign the work summary
 * (`sign`), or see and pay an invoice (`pay`). A link opens only the page of its purpose.
 */
export const linkPurposes = ['view', 'sign', 'pay'] as const;
export type LinkPurpose = (typeof linkPurposes)[number];

/**
 * One signing key. Its id (`kid`) travels in every token signed with it, so that a new key can
 * take over while links signed with the one before still open.
 */
export interface LinkKey {
  kid: string;
  /** At least 32 characters of random text (the HMAC-SHA256 key, as UTF-8). */
  secret: string;
}

/** The key links are signed with now, and the key before it, still accepted until its links expire. */
export interface LinkKeyring {
  current: LinkKey;
  previous?: LinkKey;
}

/** What a token says: one link, of one tenant, for one work order (or one of its invoices), until it expires. */
export interface LinkClaims {
  linkId: string;
  tenantId: string;
  purpose: LinkPurpose;
  /** The item collection the subject lives in: a work order's id, or a service agreement's for its invoices. */
  workOrderId: string;
  /** `pay` links only: the invoice. */
  invoiceId?: string;
  /** Unix seconds. */
  expiresAt: number;
}

export type LinkTokenReading =
  | { valid: true; claims: LinkClaims; kid: string }
  /** `malformed`, `unknownKey` and `badSignature` all mean the token was not one we signed. */
  | { valid: false; reason: 'malformed' | 'unknownKey' | 'badSignature' | 'expired' };

const kidPattern = /^[A-Za-z0-9_-]{1,40}$/;

/** The claims as they travel: short names keep a texted link short. */
const encodedClaims = z
  .object({
    l: z.string().regex(/^lnk_[0-9A-Z]{1,40}$/),
    t: z.string().regex(/^[a-z]{3}_[0-9A-Za-z]{1,40}$/),
    p: z.enum(linkPurposes),
    w: z.string().regex(/^(wo|agr)_[0-9A-Za-z]{1,40}$/),
    i: z
      .string()
      .regex(/^inv_[0-9A-Za-z]{1,40}$/)
      .optional(),
    e: z.number().int().positive(),
  })
  .strict();

/** What the MAC covers: a versioned label (so no other HMAC of ours can pass for a link), the key id and the claims. */
const signedText = (kid: string, body: string) => `customer-link.v1.${kid}.${body}`;

const mac = (key: LinkKey, body: string) =>
  createHmac('sha256', key.secret).update(signedText(key.kid, body), 'utf8').digest();

/**
 * The token of a link: `<kid>.<claims>.<mac>`, the claims as base64url JSON and the MAC an
 * HMAC-SHA256 with the keyring's current key. Not encrypted: it names ids, never personal data.
 */
export function signLinkToken(claims: LinkClaims, keyring: LinkKeyring): string {
  const key = keyring.current;
  if (!kidPattern.test(key.kid)) throw new Error(`A link key id must match ${kidPattern}`);
  const body = Buffer.from(
    JSON.stringify({
      l: claims.linkId,
      t: claims.tenantId,
      p: claims.purpose,
      w: claims.workOrderId,
      ...(claims.invoiceId ? { i: claims.invoiceId } : {}),
      e: claims.expiresAt,
    }),
    'utf8',
  ).toString('base64url');
  return `${key.kid}.${body}.${mac(key, body).toString('base64url')}`;
}

/**
 * Reads a token: the key its id names (the current or the previous one; an unknown id is
 * refused), the MAC compared in constant time, then the claims and the expiry. The purpose is
 * the caller's to check.
 */
export function readLinkToken(token: string, keyring: LinkKeyring, now: Date): LinkTokenReading {
  const parts = token.split('.');
  const [kid, body, signature] = parts;
  if (parts.length !== 3 || !kid || !body || !signature || !kidPattern.test(kid)) {
    return { valid: false, reason: 'malformed' };
  }
  const key = [keyring.current, keyring.previous].find((candidate) => candidate?.kid === kid);
  if (!key) return { valid: false, reason: 'unknownKey' };
  // Compared as text: two encodings of the same bytes (stray low bits in the last character) are not the same token.
  const expected = Buffer.from(mac(key, body).toString('base64url'), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { valid: false, reason: 'badSignature' };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  const parsed = encodedClaims.safeParse(decoded);
  if (!parsed.success) return { valid: false, reason: 'malformed' };
  const { l, t, p, w, i, e } = parsed.data;
  if ((p === 'pay') !== (i !== undefined)) return { valid: false, reason: 'malformed' };
  if (e * 1000 <= now.getTime()) return { valid: false, reason: 'expired' };
  return {
    valid: true,
    kid,
    claims: {
      linkId: l,
      tenantId: t,
      purpose: p,
      workOrderId: w,
      ...(i ? { invoiceId: i } : {}),
      expiresAt: e,
    },
  };
}

/**
 * The keyring after a rotation: the new key signs from now on, the current one becomes the
 * previous (still accepted), and the previous one is dropped, so its links no longer open.
 */
export function rotateKeyring(keyring: LinkKeyring, next: LinkKey): LinkKeyring {
  if (next.kid === keyring.current.kid) throw new Error('The new link key needs an id of its own');
  return { current: next, previous: keyring.current };
}

/** The keyring as the key store keeps it: `{"kid","secret","previous":{"kid","secret"}}`. */
export const storedKeyring = z
  .object({
    kid: z.string().regex(kidPattern),
    secret: z.string().min(32),
    previous: z.object({ kid: z.string().regex(kidPattern), secret: z.string().min(32) }).optional(),
  })
  .transform(
    ({ kid, secret, previous }): LinkKeyring => ({
      current: { kid, secret },
      ...(previous ? { previous } : {}),
    }),
  );

/** The keyring in its stored form (the inverse of `storedKeyring`). */
export const keyringToStore = (keyring: LinkKeyring) => ({
  kid: keyring.current.kid,
  secret: keyring.current.secret,
  ...(keyring.previous ? { previous: keyring.previous } : {}),
});
