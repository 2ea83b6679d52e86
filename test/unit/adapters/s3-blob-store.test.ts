import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../../lambdas/adapters/s3/s3-blob-store.ts';

const s3 = mockClient(S3Client);
const bucket = 'field-service-photos';
const key =
  'tenants/ten_acme/work-orders/wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3/photos/pho_01JD3Q8ZV5X6Y7Z8A9B0C1D2E4';

const client = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const store = new S3BlobStore(client, bucket);

const notFound = () =>
  new S3ServiceException({
    name: 'NotFound',
    $fault: 'client',
    $metadata: { httpStatusCode: 404 },
    message: '',
  });

describe('S3BlobStore', () => {
  beforeEach(() => {
    s3.reset();
  });

  it('when an upload form is made, its policy locks the bucket, the key, the content type and the size range, and it expires', async () => {
    // Act
    const form = await store.createUploadForm({
      key,
      contentType: 'image/webp',
      maxBytes: 10 * 1024 * 1024,
      expiresInSeconds: 300,
    });

    // Assert
    expect(form.url).toContain(bucket);
    expect(form.fields).toMatchObject({
      key,
      'Content-Type': 'image/webp',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    });
    const policy = JSON.parse(Buffer.from(form.fields.Policy ?? '', 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 10 * 1024 * 1024],
        { 'Content-Type': 'image/webp' },
        { key },
        { bucket },
      ]),
    );
    const lifetime = Date.parse(policy.expiration) - Date.now();
    expect(lifetime).toBeGreaterThan(290_000);
    expect(lifetime).toBeLessThanOrEqual(300_000);
    expect(form.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when an object exists, head returns its type, size, etag and version', async () => {
    s3.on(HeadObjectCommand, { Bucket: bucket, Key: key }).resolves({
      ContentType: 'image/jpeg',
      ContentLength: 1234,
      ETag: '"abc"',
      VersionId: 'v1',
    });

    expect(await store.head(key)).toEqual({
      contentType: 'image/jpeg',
      size: 1234,
      etag: '"abc"',
      versionId: 'v1',
    });
  });

  it('when the bucket has no versions, head leaves out the "null" version id', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentType: 'image/png', ContentLength: 5, VersionId: 'null' });

    expect(await store.head(key)).toEqual({ contentType: 'image/png', size: 5 });
  });

  it('when the object is missing, head returns undefined; other errors are thrown', async () => {
    s3.on(HeadObjectCommand).rejectsOnce(notFound()).rejectsOnce(new Error('throttled'));

    expect(await store.head(key)).toBeUndefined();
    await expect(store.head(key)).rejects.toThrow('throttled');
  });

  it('when the start of an object is read, it asks for that byte range of that version only', async () => {
    // A server that ignores the range sends more: only the asked-for start comes back.
    const body = { transformToByteArray: async () => Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) };
    s3.on(GetObjectCommand).resolves({ Body: body as never });

    const bytes = await store.readStart(key, 4, 'v7');

    expect([...bytes]).toEqual([0xff, 0xd8, 0xff, 0xe0]);
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: bucket,
      Key: key,
      Range: 'bytes=0-3',
      VersionId: 'v7',
    });
  });

  it('when an object is put, it is written whole to that key with its type and length', async () => {
    // Arrange
    s3.on(PutObjectCommand).resolves({});
    const reportKey = 'tenants/ten_acme/work-orders/wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3/completion-report.pdf';
    const body = new TextEncoder().encode('%PDF-1.7 report');

    // Act
    await store.putObject({ key: reportKey, body, contentType: 'application/pdf' });

    // Assert
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      {
        Bucket: bucket,
        Key: reportKey,
        Body: body,
        ContentType: 'application/pdf',
        ContentLength: body.length,
      },
    ]);
  });

  it('when a put fails, the error reaches the caller', async () => {
    // Arrange
    s3.on(PutObjectCommand).rejects(new Error('SlowDown'));

    // Act & Assert
    await expect(
      store.putObject({ key, body: Uint8Array.of(1), contentType: 'application/pdf' }),
    ).rejects.toThrow('SlowDown');
  });

  it('when an object is deleted, the version is named if known', async () => {
    s3.on(DeleteObjectCommand).resolves({});

    await store.delete(key, 'v2');
    await store.delete(key);

    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: bucket, Key: key, VersionId: 'v2' },
      { Bucket: bucket, Key: key },
    ]);
  });

  it('when a download link is made, it is a presigned GET of that version that expires', async () => {
    const url = new URL(await store.downloadUrl(key, { expiresInSeconds: 900, versionId: 'v1' }));

    expect(url.pathname).toContain(key);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('versionId')).toBe('v1');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});
