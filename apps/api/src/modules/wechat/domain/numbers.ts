import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Our numbers at WeChat: 商户订单号 (out_trade_no) and 商户退款单号 (out_refund_no), 6–32 of
 * [0-9A-Za-z_-|*], unique per merchant. A letter for the kind, the Beijing time to the second (so a
 * person can read when it was made from the bill), then 10 random digits.
 */
export function newMerchantNumber(kind: 'T' | 'O' | 'C' | 'R', at = new Date()): string {
  const t = new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const digits = [...randomBytes(10)].map((b) => String(b % 10)).join('');
  return `${kind}${t}${digits}`;
}

/** 付款码: 18 digits beginning with 10–15 (WeChat's rule for telling its codes from other wallets'). */
export function isWechatAuthCode(code: string): boolean {
  return /^1[0-5]\d{16}$/.test(code);
}

/**
 * The scene of a store's join QR code (小程序码 scene, ≤ 32 visible characters): the store code,
 * optionally the referring member's number, and a tag so that a scene cannot be made up by hand
 * (the app passes the scene to the API; without the tag anyone could name himself referrer).
 *   s=SH001&k=Ab3x_9          a store's code
 *   s=SH001&r=8000000042&k=…  a member's invitation (老带新) at his home store
 */
export function buildScene(secret: string, storeCode: string, referrerMemberNo?: string | null): string {
  const payload = referrerMemberNo ? `s=${storeCode}&r=${referrerMemberNo}` : `s=${storeCode}`;
  return `${payload}&k=${sceneTag(secret, payload)}`;
}

export function parseScene(secret: string, scene: string): { storeCode: string; referrerMemberNo: string | null } | null {
  const decoded = safeDecode(scene.trim());
  const m = /^(s=([A-Za-z0-9_-]{1,12})(?:&r=(\d{1,12}))?)&k=([A-Za-z0-9_-]{6})$/.exec(decoded);
  if (!m) return null;
  const expected = Buffer.from(sceneTag(secret, m[1]));
  const given = Buffer.from(m[4]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { storeCode: m[2], referrerMemberNo: m[3] ?? null };
}

export function sceneFits(scene: string): boolean {
  return scene.length <= 32 && /^[0-9A-Za-z!#$&'()*+,/:;=?@._~-]+$/.test(scene);
}

function sceneTag(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`wechat-scene:${payload}`).digest('base64url').slice(0, 6);
}

/** A scene arrives URL-encoded from the mini-program's launch options (decodeURIComponent(query.scene)). */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
