import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../../common/errors/app-error';

/**
 * The backup file: a plaintext header, then the gzipped record stream cut into chunks, each
 * sealed with AES-256-GCM (the "STREAM" construction of Hoang, Reyhanitabar, Rogaway and Vizár):
 *
 *   header  "CCBACKUP" | version u8 | reserved u8 | salt 32 | key check 16 | chunk size u32
 *   chunk   flags+length u32 (high bit = last chunk) | ciphertext | GCM tag 16
 *
 * The file key is HKDF(BACKUP_KEY, salt), fresh per file, so the nonce can be the chunk counter
 * (8 bytes) plus the last-chunk flag: chunks cannot be reordered, dropped, repeated or moved to
 * another file, and a file cut short lacks its last chunk. Every chunk authenticates the header.
 * Plaintext is released only after its chunk's tag verified, so memory holds one chunk at a time
 * and nothing unauthenticated ever reaches the database. The key check (a second HKDF output)
 * tells a wrong key apart from a damaged file without decrypting anything.
 */
export const MAGIC = Buffer.from('CCBACKUP', 'ascii');
export const FORMAT_VERSION = 1;
export const HEADER_LENGTH = MAGIC.length + 1 + 1 + 32 + 16 + 4;
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
const TAG_LENGTH = 16;
const LAST_FLAG = 0x80000000;

function fileKeys(master: Buffer, salt: Buffer): { enc: Buffer; check: Buffer } {
  if (master.length !== 32) throw new Error('the backup key must be 32 bytes');
  return {
    enc: Buffer.from(hkdfSync('sha256', master, salt, 'chaincard backup v1 encryption', 32)),
    check: Buffer.from(hkdfSync('sha256', master, salt, 'chaincard backup v1 key check', 16)),
  };
}

function nonce(counter: bigint, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(counter, 0);
  n[11] = last ? 1 : 0;
  return n;
}

/** Bytes arriving in pieces, taken out in exact lengths without copying more than needed. */
export class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.length += b.length;
  }

  take(n: number): Buffer {
    if (n > this.length) throw new Error('ByteQueue underflow');
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = this.parts[0];
      const want = n - filled;
      if (head.length <= want) {
        head.copy(out, filled);
        filled += head.length;
        this.parts.shift();
      } else {
        head.copy(out, filled, 0, want);
        this.parts[0] = head.subarray(want);
        filled += want;
      }
    }
    this.length -= n;
    return out;
  }

  /** The first n bytes, left in the queue. */
  peek(n: number): Buffer {
    if (n > this.length) throw new Error('ByteQueue underflow');
    if (this.parts[0].length >= n) return this.parts[0].subarray(0, n);
    const b = this.take(n);
    this.parts.unshift(b);
    this.length += n;
    return b;
  }
}

/** Encrypts a byte stream into the backup file format. */
export function createEncryptStream(key: Buffer, chunkSize = DEFAULT_CHUNK_SIZE): Transform {
  if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new Error('chunk size out of range');
  const salt = randomBytes(32);
  const keys = fileKeys(key, salt);
  const header = Buffer.alloc(HEADER_LENGTH);
  MAGIC.copy(header, 0);
  header[8] = FORMAT_VERSION;
  header[9] = 0;
  salt.copy(header, 10);
  keys.check.copy(header, 42);
  header.writeUInt32BE(chunkSize, 58);
  const pending = new ByteQueue();
  let counter = 0n;
  let headerSent = false;

  const seal = (plain: Buffer, last: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', keys.enc, nonce(counter++, last));
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE((plain.length | (last ? LAST_FLAG : 0)) >>> 0, 0);
    return Buffer.concat([prefix, body, cipher.getAuthTag()]);
  };

  return new Transform({
    transform(data: Buffer, _enc, done: TransformCallback) {
      if (!headerSent) {
        this.push(header);
        headerSent = true;
      }
      pending.push(data);
      // A full chunk goes out only when more follows it: the last chunk is known at flush.
      while (pending.length > chunkSize) this.push(seal(pending.take(chunkSize), false));
      done();
    },
    flush(done: TransformCallback) {
      if (!headerSent) this.push(header);
      while (pending.length > chunkSize) this.push(seal(pending.take(chunkSize), false));
      this.push(seal(pending.take(pending.length), true));
      done();
    },
  });
}

/**
 * Decrypts a backup file, refusing with BACKUP_NOT_A_BACKUP, BACKUP_FORMAT_UNSUPPORTED,
 * BACKUP_WRONG_KEY or BACKUP_DAMAGED (any changed, missing, reordered or trailing byte).
 */
export function createDecryptStream(key: Buffer): Transform {
  const queue = new ByteQueue();
  let header: Buffer | null = null;
  let keys: { enc: Buffer; check: Buffer } | null = null;
  let chunkSize = 0;
  let counter = 0n;
  let finished = false;

  const readHeader = (): void => {
    const h = queue.take(HEADER_LENGTH);
    if (!h.subarray(0, MAGIC.length).equals(MAGIC)) throw new AppError('BACKUP_NOT_A_BACKUP');
    if (h[8] > FORMAT_VERSION) throw new AppError('BACKUP_FORMAT_UNSUPPORTED', { fileVersion: h[8], supported: FORMAT_VERSION });
    if (h[8] !== FORMAT_VERSION) throw new AppError('BACKUP_DAMAGED', { reason: 'unknown format version' });
    keys = fileKeys(key, h.subarray(10, 42));
    if (!timingSafeEqual(keys.check, h.subarray(42, 58))) throw new AppError('BACKUP_WRONG_KEY');
    chunkSize = h.readUInt32BE(58);
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new AppError('BACKUP_DAMAGED', { reason: 'bad chunk size' });
    header = h;
  };

  const open = (push: (b: Buffer) => void): void => {
    for (;;) {
      if (!header) {
        if (queue.length < HEADER_LENGTH) return;
        readHeader();
        continue;
      }
      if (queue.length < 4) return;
      if (finished) throw new AppError('BACKUP_DAMAGED', { reason: 'bytes after the last chunk' });
      const word = queue.peek(4).readUInt32BE(0);
      const last = (word & LAST_FLAG) !== 0;
      const length = word & ~LAST_FLAG;
      if (length > chunkSize) throw new AppError('BACKUP_DAMAGED', { reason: 'chunk longer than the header allows' });
      if (queue.length < 4 + length + TAG_LENGTH) return;
      queue.take(4);
      const body = queue.take(length);
      const tag = queue.take(TAG_LENGTH);
      const decipher = createDecipheriv('aes-256-gcm', keys!.enc, nonce(counter++, last));
      decipher.setAAD(header);
      decipher.setAuthTag(tag);
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(body), decipher.final()]);
      } catch {
        throw new AppError('BACKUP_DAMAGED', { reason: `chunk ${counter - 1n} failed authentication` });
      }
      if (last) finished = true;
      if (plain.length) push(plain);
    }
  };

  return new Transform({
    transform(data: Buffer, _enc, done: TransformCallback) {
      queue.push(data);
      try {
        open((b) => this.push(b));
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      if (!header) return done(new AppError(queue.length === 0 ? 'BACKUP_NOT_A_BACKUP' : 'BACKUP_DAMAGED', { reason: 'file shorter than its header' }));
      if (!finished || queue.length > 0) return done(new AppError('BACKUP_DAMAGED', { reason: finished ? 'bytes after the last chunk' : 'the file is cut short' }));
      done();
    },
  });
}

/**
 * The plaintext inside the encryption (before gzip): typed, length-prefixed records.
 *   M manifest (JSON, first)  T table start (JSON)  D COPY text data  E table end (JSON)  Z end
 */
export type RecordType = 'M' | 'T' | 'D' | 'E' | 'Z';
const RECORD_TYPES = new Set<string>(['M', 'T', 'D', 'E', 'Z']);
const MAX_RECORD = 64 * 1024 * 1024;

export function encodeRecord(type: RecordType, payload: Buffer | string | object): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  const head = Buffer.alloc(5);
  head.write(type, 0, 'ascii');
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** Parses records; a stream that stops before the Z record, or goes on after it, is damaged. */
export async function* decodeRecords(source: AsyncIterable<Buffer>): AsyncGenerator<{ type: RecordType; payload: Buffer }> {
  const queue = new ByteQueue();
  let ended = false;
  for await (const data of source) {
    queue.push(data);
    while (queue.length >= 5) {
      if (ended) throw new AppError('BACKUP_DAMAGED', { reason: 'data after the end record' });
      const head = queue.peek(5);
      const type = head.toString('ascii', 0, 1);
      const length = head.readUInt32BE(1);
      if (!RECORD_TYPES.has(type) || length > MAX_RECORD) throw new AppError('BACKUP_DAMAGED', { reason: 'unknown record' });
      if (queue.length < 5 + length) break;
      queue.take(5);
      const payload = queue.take(length);
      if (type === 'Z') ended = true;
      yield { type: type as RecordType, payload };
    }
  }
  if (!ended || queue.length) throw new AppError('BACKUP_DAMAGED', { reason: 'the record stream is cut short' });
}
