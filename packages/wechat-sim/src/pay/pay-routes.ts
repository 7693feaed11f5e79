// The WeChat Pay API v3 surface: every request is authenticated with the merchant's
// WECHATPAY2-SHA256-RSA2048 signature, every answer of an authenticated request is signed with the
// merchant's platform key (certificate or public-key mode).
import { parseAuthorization, requestSignMessage, responseSignMessage, rsaSign, rsaVerify, AUTH_SCHEME, SIGNTEST_PREFIX, encryptResource } from '../crypto/wechatpay-crypto';
import { jsonObject, send, type Ctx, type Router } from '../http/router';
import type { Sim } from '../sim';
import type { Merchant } from '../state';
import { wechatTime } from '../time';
import { applyTradeBill, downloadBillFile } from './bills';
import { PayError } from './pay-error';
import { applyAbnormalRefund, createRefund, queryRefund, recordRevokeRefund } from './refunds';
import { closeOrder, createCodepayOrder, createJsapiOrder, queryOrder, reverseOrder } from './transactions';

type Json = Record<string, unknown>;
type PayResult = { status: number; body: Json | null } | { unsigned: { status: number; contentType: string; bytes: Buffer } };
type PayHandler = (ctx: Ctx, merchant: Merchant, body: Json) => PayResult | Promise<PayResult>;

const ok = (body: Json | null, status = 200): PayResult => ({ status, body });

export function registerPayRoutes(sim: Sim, router: Router): void {
  const route = (method: 'GET' | 'POST', pattern: string, handler: PayHandler) =>
    router.on(method, pattern, async (ctx) => {
      const auth = authenticate(sim, ctx);
      if (auth instanceof PayError) return answer(sim, ctx, null, auth.status, auth.toJSON());
      const merchant = auth;
      let body: Json = {};
      if (method === 'POST') {
        const parsed = jsonObject(ctx.rawBody);
        if (parsed === null) return answer(sim, ctx, merchant, 400, new PayError(400, 'PARAM_ERROR', '请求体不是合法的JSON对象').toJSON());
        body = parsed ?? {};
      }
      try {
        const result = await handler(ctx, merchant, body);
        if ('unsigned' in result) {
          // The bill file is the one answer WeChat does not sign; the merchant checks its hash.
          return send(ctx.res, result.unsigned.status, result.unsigned.bytes, { 'Content-Type': result.unsigned.contentType, 'Request-ID': sim.ids.requestId() });
        }
        return answer(sim, ctx, merchant, result.status, result.body);
      } catch (e) {
        if (e instanceof PayError) return answer(sim, ctx, merchant, e.status, e.toJSON());
        sim.opts.log(`pay API error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        return answer(sim, ctx, merchant, 500, { code: 'SYSTEM_ERROR', message: '系统错误' });
      }
    });

  route('GET', '/v3/certificates', (_ctx, merchant) => ok(certificatesView(sim, merchant)));
  route('POST', '/v3/pay/transactions/jsapi', (_ctx, m, body) => ok(createJsapiOrder(sim, m, body)));
  route('POST', '/v3/pay/transactions/codepay', (_ctx, m, body) => createCodepayOrder(sim, m, body));
  route('GET', '/v3/pay/transactions/out-trade-no/:outTradeNo', (ctx, m) => ok(queryOrder(sim, m, ctx.query, { outTradeNo: ctx.params.outTradeNo })));
  route('GET', '/v3/pay/transactions/id/:transactionId', (ctx, m) => ok(queryOrder(sim, m, ctx.query, { transactionId: ctx.params.transactionId })));
  route('POST', '/v3/pay/transactions/out-trade-no/:outTradeNo/close', (ctx, m, body) => {
    closeOrder(sim, m, ctx.params.outTradeNo, body);
    return ok(null, 204);
  });
  route('POST', '/v3/pay/transactions/out-trade-no/:outTradeNo/reverse', (ctx, m, body) =>
    ok(reverseOrder(sim, m, ctx.params.outTradeNo, body, (order) => recordRevokeRefund(sim, order))),
  );
  route('POST', '/v3/refund/domestic/refunds', (_ctx, m, body) => ok(createRefund(sim, m, body)));
  route('GET', '/v3/refund/domestic/refunds/:outRefundNo', (ctx, m) => ok(queryRefund(sim, m, ctx.params.outRefundNo)));
  route('POST', '/v3/refund/domestic/refunds/:refundId/apply-abnormal-refund', (ctx, m, body) => ok(applyAbnormalRefund(sim, m, ctx.params.refundId, body)));
  route('GET', '/v3/bill/tradebill', (ctx, m) => ok(applyTradeBill(sim, m, ctx.query)));
  route('GET', '/v3/billdownload/file', (ctx, m) => {
    const file = downloadBillFile(sim, m, ctx.query);
    return { unsigned: { status: 200, contentType: file.contentType, bytes: file.bytes } };
  });
}

const AUTH_FORMAT_MESSAGE = 'Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》';

/** The merchant whose valid signature the request carries, or the error WeChat would answer. */
function authenticate(sim: Sim, ctx: Ctx): Merchant | PayError {
  if (!ctx.req.headers['user-agent']) return new PayError(400, 'INVALID_REQUEST', 'Http头缺少User-Agent');
  const auth = parseAuthorization(ctx.req.headers.authorization);
  if (!auth) return new PayError(401, 'SIGN_ERROR', AUTH_FORMAT_MESSAGE);
  const merchant = sim.merchant(auth.mchid);
  if (!merchant) return new PayError(400, 'MCH_NOT_EXISTS', '商户号不存在');
  const cert = merchant.certificates.find((c) => c.serialNo.toUpperCase() === auth.serial_no.toUpperCase().replace(/^0+(?=.)/, ''));
  if (!cert) return new PayError(400, 'INVALID_REQUEST', '商户证书序列号有误。请使用签名私钥匹配的证书序列号');
  const ts = Number(auth.timestamp);
  if (!/^\d{1,12}$/.test(auth.timestamp) || Math.abs(Math.floor(sim.now() / 1000) - ts) > sim.opts.timestampToleranceSeconds) {
    return new PayError(401, 'SIGN_ERROR', '签名错误，请求时间戳已过期或与系统时间相差过大', { detail: { issue: 'timestamp expired' }, field: 'timestamp', location: 'authorization' });
  }
  const message = requestSignMessage(ctx.method, ctx.rawUrl, auth.timestamp, auth.nonce_str, ctx.rawBody.toString('utf8'));
  if (!rsaVerify(message, auth.signature, cert.publicKeyPem)) {
    // WeChat shows what it signed, to help find the difference.
    return new PayError(401, 'SIGN_ERROR', '签名错误，请检查后再试', {
      detail: { issue: 'sign not match' },
      field: 'signature',
      location: 'authorization',
      sign_information: {
        method: ctx.method,
        url: ctx.rawUrl,
        truncated_sign_message: message.slice(0, 60).replace(/\n/g, '\\n'),
        sign_message_length: Buffer.byteLength(message, 'utf8'),
      },
    });
  }
  const wechatpaySerial = ctx.req.headers['wechatpay-serial'];
  if (typeof wechatpaySerial === 'string' && wechatpaySerial !== merchant.platformPublicKey.id && !merchant.platformCertificates.some((c) => c.serialNo === wechatpaySerial)) {
    return new PayError(400, 'PARAM_ERROR', 'Wechatpay-Serial 不是有效的平台证书序列号或微信支付公钥ID');
  }
  return merchant;
}

/** Sends a pay API answer, signed when the caller authenticated (WeChat leaves auth failures unsigned). */
function answer(sim: Sim, ctx: Ctx, merchant: Merchant | null, status: number, body: Json | null): void {
  const text = body === null ? '' : JSON.stringify(body);
  const headers: Record<string, string> = { 'Request-ID': sim.ids.requestId() };
  if (body !== null) headers['Content-Type'] = 'application/json; charset=utf-8';
  if (merchant) Object.assign(headers, signResponse(sim, merchant, text));
  send(ctx.res, status, body === null ? null : text, headers);
}

export function signResponse(sim: Sim, merchant: Merchant, body: string): Record<string, string> {
  const tamper = merchant.responseTampers.shift();
  if (tamper) sim.changed();
  const { serial, privateKeyPem } = sim.signingKey(merchant);
  const timestamp = String(Math.floor(sim.now() / 1000) - (tamper === 'stale' ? 600 : 0));
  const nonce = sim.ids.nonce();
  const message = responseSignMessage(timestamp, nonce, body);
  let signature = rsaSign(message, privateKeyPem);
  if (tamper === 'forged') {
    // Same length and alphabet as a real signature, different bytes.
    const bytes = Buffer.from(signature, 'base64');
    bytes[bytes.length - 1] ^= 0xff;
    signature = bytes.toString('base64');
  }
  if (tamper === 'signtest') signature = SIGNTEST_PREFIX + signature;
  return {
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': tamper === 'wrong_serial' ? sim.ids.hex(40) : serial,
    'Wechatpay-Signature': signature,
    'Wechatpay-Signature-Type': AUTH_SCHEME,
    'Wechatpay-Timestamp': timestamp,
  };
}

/** GET /v3/certificates: the platform certificates, each encrypted under the APIv3 key. */
function certificatesView(sim: Sim, merchant: Merchant): Json {
  const now = sim.now();
  return {
    data: merchant.platformCertificates
      .filter((c) => c.expireAt > now)
      .map((c) => ({
        serial_no: c.serialNo,
        effective_time: wechatTime(c.effectiveAt),
        expire_time: wechatTime(c.expireAt),
        encrypt_certificate: (() => {
          const e = encryptResource(c.certificatePem, merchant.apiV3Key, 'certificate', sim.ids.gcmNonce());
          return { algorithm: e.algorithm, nonce: e.nonce, associated_data: e.associated_data, ciphertext: e.ciphertext };
        })(),
      })),
  };
}
