/** A browser form that uploads one object straight to the store (an S3 presigned POST). */
export interface UploadForm {
  url: string;
  /** Form fields to send, in this order, before the `file` field. */
  fields: Record<string, string>;
  expiresAt: string;
}

export interface StoredObject {
  contentType?: string;
  size: number;
  etag?: string;
  /** Present when the bucket keeps versions. */
  versionId?: string;
}

/** Objects (photos, signatures, PDFs) in the platform's bucket. */
export interface BlobStore {
  /** The bucket the store writes to; events from any other bucket are not ours. */
  readonly bucketName: string;
  /**
   * A form that may upload exactly `key`, only with `contentType` and at most `maxBytes`,
   * until `expiresInSeconds` have passed.
   */
  createUploadForm(request: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
  }): Promise<UploadForm>;
  /** The object's metadata, or undefined when there is no such object. */
  head(key: string): Promise<StoredObject | undefined>;
  /** The first `count` bytes (fewer when the object is shorter). */
  readStart(key: string, count: number, versionId?: string): Promise<Uint8Array>;
  /** Writes a whole object the platform made itself (a completion report), replacing any at the key. */
  putObject(object: { key: string; body: Uint8Array; contentType: string }): Promise<void>;
  /** Deletes the object (that version of it, when given). */
  delete(key: string, versionId?: string): Promise<void>;
  /** A time-limited URL that downloads the object. */
  downloadUrl(key: string, options: { expiresInSeconds: number; versionId?: string }): Promise<string>;
}
