import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobStore, StoredObject, UploadForm } from '../../ports/blob-store.ts';

const isMissing = (error: unknown) =>
  error instanceof S3ServiceException
    ? error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey'
    : false;

/** The platform's bucket through the S3 API: presigned forms and links, heads, reads, writes and deletes. */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly client: S3Client,
    readonly bucketName: string,
  ) {}

  async createUploadForm(request: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
  }): Promise<UploadForm> {
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucketName,
      Key: request.key,
      // Every field becomes an exact-match condition (bucket, key, Content-Type); the size is a
      // range S3 checks when the file arrives.
      Conditions: [['content-length-range', 1, request.maxBytes]],
      Fields: { 'Content-Type': request.contentType },
      Expires: request.expiresInSeconds,
    });
    return {
      url,
      fields,
      expiresAt: new Date(Date.now() + request.expiresInSeconds * 1000).toISOString(),
    };
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucketName, Key: key }));
      return {
        size: head.ContentLength ?? 0,
        ...(head.ContentType ? { contentType: head.ContentType } : {}),
        ...(head.ETag ? { etag: head.ETag } : {}),
        ...(head.VersionId && head.VersionId !== 'null' ? { versionId: head.VersionId } : {}),
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async readStart(key: string, count: number, versionId?: string): Promise<Uint8Array> {
    const response = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        Range: `bytes=0-${count - 1}`,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
    const bytes = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
    // A server that ignores the range sends the whole object: only the start is wanted.
    return bytes.subarray(0, count);
  }

  async putObject(object: { key: string; body: Uint8Array; contentType: string }): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: object.key,
        Body: object.body,
        ContentType: object.contentType,
        ContentLength: object.body.byteLength,
      }),
    );
  }

  async delete(key: string, versionId?: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
  }

  async downloadUrl(key: string, options: { expiresInSeconds: number; versionId?: string }): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        ...(options.versionId ? { VersionId: options.versionId } : {}),
      }),
      { expiresIn: options.expiresInSeconds },
    );
  }
}
