import type { Actor } from '../domain/shared/actor.ts';
import { ForbiddenError, UnauthorizedError } from './errors.ts';
import { type Role, roles } from './roles.ts';

export type JwtClaims = Record<string, string | number | boolean | string[] | undefined>;

/** Highest privilege first: a user in several groups acts with the first that matches. */
const precedence: Role[] = ['admin', 'dispatcher', 'technician'];

/**
 * Groups as API Gateway's JWT authorizer passes them (`"[admin dispatcher]"`), or as an
 * array (the raw token).
 */
export function groupsFrom(claim: JwtClaims[string]): string[] {
  if (Array.isArray(claim)) return claim;
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/**
 * The actor of a request, from verified claims only: tenant from `custom:tenantId`, role from
 * `cognito:groups`, restricted to the roles the route allows.
 */
export function actorFromClaims(claims: JwtClaims | undefined, allowed: readonly Role[]): Actor {
  if (!claims || typeof claims.sub !== 'string' || claims.sub.length === 0) {
    throw new UnauthorizedError('A valid bearer token is required');
  }
  const tenantId = claims['custom:tenantId'];
  if (typeof tenantId !== 'string' || tenantId.length === 0) {
    throw new ForbiddenError('The token carries no tenant');
  }
  const groups = groupsFrom(claims['cognito:groups']).filter((group): group is Role =>
    (roles as readonly string[]).includes(group),
  );
  const role = precedence.find((candidate) => groups.includes(candidate) && allowed.includes(candidate));
  if (!role) throw new ForbiddenError(`This action needs one of the roles: ${allowed.join(', ')}`);
  const technicianId = claims['custom:technicianId'];
  if (role === 'technician' && (typeof technicianId !== 'string' || technicianId.length === 0)) {
    // Without it, "only my assigned work orders" could not be enforced.
    throw new ForbiddenError('This technician account is not linked to a technician record');
  }
  return {
    tenantId,
    id: claims.sub,
    role,
    ...(role === 'technician' ? { technicianId: technicianId as string } : {}),
  };
}
