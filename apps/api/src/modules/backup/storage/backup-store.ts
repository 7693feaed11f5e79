import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { BackupConfig } from '../../../config/config';
import { parseBackupFileName } from '../domain/retention';

/** Where backup files are kept. Backups are written to the local folder first, then copied on. */
export interface BackupStore {
  readonly name: 'local' | 's3';
  /** Copies a finished file from the local folder into this store (nothing to do for the folder itself). */
  put(localPath: string, fileName: string): Promise<void>;
  /** Backup files in the store (other files are never listed, so never pruned). */
  list(): Promise<string[]>;
  remove(fileName: string): Promise<void>;
  open(fileName: string): Promise<Readable | null>;
}

export class LocalBackupStore implements BackupStore {
  readonly name = 'local' as const;
  constructor(readonly dir: string) {}

  async ensure(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  async put(): Promise<void> {}

  async list(): Promise<string[]> {
    if (!existsSync(this.dir)) return [];
    return (await readdir(this.dir)).filter((f) => parseBackupFileName(f) !== null).sort();
  }

  async remove(fileName: string): Promise<void> {
    if (!parseBackupFileName(fileName)) throw new Error(`not a backup file name: ${fileName}`);
    await rm(join(this.dir, fileName), { force: true });
  }

  async open(fileName: string): Promise<Readable | null> {
    const path = join(this.dir, fileName);
    return parseBackupFileName(fileName) && existsSync(path) ? createReadStream(path) : null;
  }
}

/**
 * Any S3-compatible storage (AWS S3, Aliyun OSS, Tencent COS, MinIO). Large files go up in parts
 * (lib-storage), so nothing is held in memory. Checksums are sent only where the operation needs
 * them: the SDK's default CRC trailers are not understood by every S3-compatible server.
 */
export class S3BackupStore implements BackupStore {
  readonly name = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly cfg: NonNullable<BackupConfig['s3']>) {
    this.client = new S3Client({
      region: cfg.region,
      endpoint: cfg.endpoint ?? undefined,
      forcePathStyle: cfg.forcePathStyle,
      credentials: cfg.accessKeyId && cfg.secretAccessKey ? { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey } : undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  private key(fileName: string): string {
    return `${this.cfg.prefix}${fileName}`;
  }

  async put(localPath: string, fileName: string): Promise<void> {
    await new Upload({
      client: this.client,
      params: { Bucket: this.cfg.bucket, Key: this.key(fileName), Body: createReadStream(localPath), ContentType: 'application/octet-stream' },
      partSize: 16 * 1024 * 1024,
      queueSize: 2,
    }).done();
  }

  async list(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.cfg.bucket, Prefix: this.cfg.prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        const name = (o.Key ?? '').slice(this.cfg.prefix.length);
        if (parseBackupFileName(name)) names.push(name);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return names.sort();
  }

  async remove(fileName: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(fileName) }));
  }

  async open(fileName: string): Promise<Readable | null> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(fileName) }));
      return (res.Body as Readable | undefined) ?? null;
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return null;
      throw err;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
