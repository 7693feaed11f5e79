// Every identifier the simulator invents (openids, order and refund ids, tokens, nonces) comes from
// one byte source. With a seed it is SHA-256 in counter mode, so a seeded run that receives the
// same calls in the same order hands out the same ids; without one it is the OS's randomness.
import { createHash, randomBytes } from 'node:crypto';

export interface Rng {
  bytes(n: number): Buffer;
  /** Position in the seeded stream, persisted with the state so a restart continues it. */
  counter(): number;
}

export function createRng(seed: string | number | undefined, startCounter = 0): Rng {
  if (seed === undefined || seed === '') {
    return { bytes: (n) => randomBytes(n), counter: () => 0 };
  }
  let counter = startCounter;
  let pool = Buffer.alloc(0);
  return {
    bytes(n) {
      while (pool.length < n) {
        const block = createHash('sha256').update(`wechat-sim:${seed}:${counter++}`).digest();
        pool = Buffer.concat([pool, block]);
      }
      const out = pool.subarray(0, n);
      pool = pool.subarray(n);
      return Buffer.from(out);
    },
    counter: () => counter,
  };
}

const DIGITS = '0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789ABCDEF';

export class Ids {
  constructor(private readonly rng: Rng) {}

  bytes(n: number): Buffer {
    return this.rng.bytes(n);
  }

  pick(alphabet: string, length: number): string {
    // 256 is not a multiple of every alphabet's size; the bias is irrelevant for simulated ids.
    const b = this.rng.bytes(length);
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[b[i] % alphabet.length];
    return s;
  }

  digits(n: number): string {
    return this.pick(DIGITS, n);
  }

  hex(n: number): string {
    return this.pick(HEX, n);
  }

  /** 32 upper-case letters and digits, like the nonces WeChat sends. */
  nonce(length = 32): string {
    return this.pick(HEX + 'GHIJKLMNOPQRSTUVWXYZ', length);
  }

  /** The 12-character nonce of AEAD_AES_256_GCM resources. */
  gcmNonce(): string {
    return this.pick(ALNUM, 12);
  }

  /** A user's openid under one appid: 28 characters starting with `o`. */
  openid(): string {
    return 'o' + this.pick(URLSAFE, 27);
  }

  unionid(): string {
    return 'o' + this.pick(URLSAFE, 27);
  }

  /** `wx` + 16 hex digits, the shape of a mini-program AppID. */
  appid(): string {
    return 'wx' + this.pick('0123456789abcdef', 16);
  }

  appSecret(): string {
    return this.pick('0123456789abcdef', 32);
  }

  /** A 10-digit merchant id starting with 1, like WeChat's. */
  mchid(): string {
    return '1' + this.digits(9);
  }

  sessionKey(): string {
    return this.rng.bytes(16).toString('base64');
  }

  accessToken(): string {
    return `${80 + (this.rng.bytes(1)[0] % 10)}_${this.pick(URLSAFE, 136)}`;
  }

  /** The 43-character id of a subscribe message template. */
  templateId(): string {
    return this.pick(URLSAFE, 43);
  }

  loginCode(): string {
    return this.pick(ALNUM, 32);
  }

  uuid(): string {
    const h = this.rng.bytes(16).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** errmsg suffix WeChat appends to mini-program API errors (`rid: 6513d2bd-4e6f4b6a-2c2e0f0a`). */
  rid(): string {
    const h = this.rng.bytes(12).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 16)}-${h.slice(16, 24)}`;
  }

  requestId(): string {
    return this.hex(40);
  }
}
