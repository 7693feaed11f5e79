import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { AppError } from '../../../common/errors/app-error';
import { createDecryptStream, createEncryptStream, decodeRecords, encodeRecord, HEADER_LENGTH } from './backup-format';

const key = randomBytes(32);

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of stream as AsyncIterable<Buffer>) parts.push(b);
  return Buffer.concat(parts);
}

/** Feeds pieces of the given sizes, as a file or socket would. */
function piecewise(data: Buffer, piece: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += piece) parts.push(data.subarray(i, i + piece));
  return Readable.from(parts);
}

const seal = (plain: Buffer, chunk: number, piece = 1000) => collect(piecewise(plain, piece).pipe(createEncryptStream(key, chunk)));
const open = (file: Buffer, k = key, piece = 777) => collect(piecewise(file, piece).pipe(createDecryptStream(k)));

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    return err instanceof AppError ? err.code : `other: ${String(err)}`;
  }
}

describe('backup file format', () => {
  it('gives back exactly what went in, whatever the chunk and piece sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 900 }), async (bytes, chunk, piece) => {
        const plain = Buffer.from(bytes);
        const file = await seal(plain, chunk, Math.max(1, piece));
        expect((await open(file, key, piece)).equals(plain)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('makes a different file each time (fresh salt), with no plaintext in it', async () => {
    const plain = Buffer.from('会员 13800000001 余额 100000 '.repeat(50));
    const [a, b] = [await seal(plain, 256), await seal(plain, 256)];
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('13800000001'))).toBe(false);
  });

  it('refuses any single changed byte as damaged (or, in the key check, as a wrong key)', async () => {
    const plain = randomBytes(3000);
    const file = await seal(plain, 512);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: file.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const bad = Buffer.from(file);
        bad[at] ^= xor;
        const code = await refusal(open(bad));
        if (at < 8) expect(code).toBe('BACKUP_NOT_A_BACKUP');
        else if (at === 8) expect(['BACKUP_FORMAT_UNSUPPORTED', 'BACKUP_DAMAGED']).toContain(code);
        else if (at >= 10 && at < 58) expect(code).toBe('BACKUP_WRONG_KEY'); // salt or key check: the key no longer matches
        else expect(code).toBe('BACKUP_DAMAGED');
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a file cut short, one with bytes appended, and one with chunks swapped', async () => {
    const file = await seal(randomBytes(2000), 500);
    for (const cut of [HEADER_LENGTH + 3, HEADER_LENGTH + 4 + 500 + 16, file.length - 1]) expect(await refusal(open(file.subarray(0, cut)))).toBe('BACKUP_DAMAGED');
    expect(await refusal(open(Buffer.concat([file, Buffer.from([0, 0, 0, 0])])))).toBe('BACKUP_DAMAGED');
    const frame = 4 + 500 + 16;
    const first = file.subarray(HEADER_LENGTH, HEADER_LENGTH + frame);
    const second = file.subarray(HEADER_LENGTH + frame, HEADER_LENGTH + 2 * frame);
    const swapped = Buffer.concat([file.subarray(0, HEADER_LENGTH), second, first, file.subarray(HEADER_LENGTH + 2 * frame)]);
    expect(await refusal(open(swapped))).toBe('BACKUP_DAMAGED');
    // Dropping the last chunk leaves a file whose new last chunk is not flagged last.
    expect(await refusal(open(file.subarray(0, file.length - frame)))).toBe('BACKUP_DAMAGED');
  });

  it('tells a wrong key and a file that is no backup apart from damage', async () => {
    const file = await seal(Buffer.from('x'), 64);
    expect(await refusal(open(file, randomBytes(32)))).toBe('BACKUP_WRONG_KEY');
    expect(await refusal(open(Buffer.from('PGDMP dump file, not ours'.repeat(4))))).toBe('BACKUP_NOT_A_BACKUP');
    expect(await refusal(open(Buffer.alloc(0)))).toBe('BACKUP_NOT_A_BACKUP');
  });

  it('frames records and refuses a record stream that stops early or goes on after its end', async () => {
    const stream = Buffer.concat([encodeRecord('M', { a: 1 }), encodeRecord('D', Buffer.from('1\tx\n')), encodeRecord('Z', {})]);
    const read = async (b: Buffer, piece: number) => {
      const out: string[] = [];
      for await (const r of decodeRecords(piecewise(b, piece))) out.push(`${r.type}:${r.payload.toString()}`);
      return out;
    };
    for (const piece of [1, 3, 100]) expect(await read(stream, piece)).toEqual(['M:{"a":1}', 'D:1\tx\n', 'Z:{}']);
    expect(await refusal(read(stream.subarray(0, stream.length - 3), 4))).toBe('BACKUP_DAMAGED');
    expect(await refusal(read(Buffer.concat([stream, encodeRecord('D', 'more')]), 7))).toBe('BACKUP_DAMAGED');
  });
});
