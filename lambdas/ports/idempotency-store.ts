export interface StoredResponse {
  status: number;
  body: string;
}

export type IdempotencyClaim =
  | { outcome: 'claimed' }
  | { outcome: 'completed'; fingerprint: string; response: StoredResponse }
  | { outcome: 'in_progress'; fingerprint: string };

/** Remembers POSTs by (tenant, key): the first claims the key, the others get its response. */
export interface IdempotencyStore {
  claim(tenantId: string, key: string, fingerprint: string, lockSeconds: number): Promise<IdempotencyClaim>;
  complete(tenantId: string, key: string, response: StoredResponse): Promise<void>;
  /** Frees the key after a failure that changed nothing, so that a retry runs again. */
  release(tenantId: string, key: string): Promise<void>;
}
