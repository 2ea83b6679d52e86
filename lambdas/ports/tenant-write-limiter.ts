export type WriteAdmission =
  | { admitted: true }
  | { admitted: false; limit: number; retryAfterSeconds: number };

/** Counts a tenant's writes by the minute and refuses those beyond its limit. */
export interface TenantWriteLimiter {
  /** Counts one write of the tenant, unless the tenant already made its limit of writes this minute. */
  admit(tenantId: string): Promise<WriteAdmission>;
}
