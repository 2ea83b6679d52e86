import type { BlobStore, StoredObject, UploadForm } from '../../../lambdas/ports/blob-store.ts';

/** One bucket in memory: objects with their bytes and metadata, and the forms handed out. */
export class InMemoryBlobStore implements BlobStore {
  readonly objects = new Map<string, StoredObject & { bytes: Uint8Array }>();
  readonly forms: Parameters<BlobStore['createUploadForm']>[0][] = [];
  readonly writes: string[] = [];

  constructor(readonly bucketName = 'field-service-bucket') {}

  /** Seeds an object as an upload would have left it. */
  seed(key: string, bytes: Uint8Array, contentType: string): this {
    this.objects.set(key, { bytes, contentType, size: bytes.length });
    return this;
  }

  bytesOf(key: string): Uint8Array | undefined {
    return this.objects.get(key)?.bytes;
  }

  async createUploadForm(request: Parameters<BlobStore['createUploadForm']>[0]): Promise<UploadForm> {
    this.forms.push(request);
    return {
      url: `https://${this.bucketName}.s3.example`,
      fields: { key: request.key, 'Content-Type': request.contentType },
      expiresAt: new Date(
        Date.parse('2025-03-14T15:00:00.000Z') + request.expiresInSeconds * 1000,
      ).toISOString(),
    };
  }

  async head(key: string): Promise<StoredObject | undefined> {
    const found = this.objects.get(key);
    if (!found) return undefined;
    const { bytes: _bytes, ...metadata } = found;
    return metadata;
  }

  async readStart(key: string, count: number): Promise<Uint8Array> {
    return (this.objects.get(key)?.bytes ?? new Uint8Array()).slice(0, count);
  }

  async putObject(object: { key: string; body: Uint8Array; contentType: string }): Promise<void> {
    this.writes.push(object.key);
    this.seed(object.key, object.body.slice(), object.contentType);
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async downloadUrl(key: string, options: { expiresInSeconds: number }): Promise<string> {
    return `https://${this.bucketName}.s3.example/${key}?expires=${options.expiresInSeconds}`;
  }
}
