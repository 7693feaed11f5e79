// HTTP face of the control API (JSON in, JSON out, `{ "error": "…" }` with 400/404/409). Browsers
// call it from the H5 member app and the pay sheet, so it answers CORS preflights.
import { jsonObject, sendJson, type Ctx, type Router } from '../http/router';
import type { TemplateOptions } from '../options';
import type { Sim } from '../sim';
import { Control, ControlError } from './control';

type Json = Record<string, unknown>;

export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
};

export function registerControlRoutes(sim: Sim, control: Control, router: Router): void {
  const route = (method: 'GET' | 'POST', pattern: string, handler: (ctx: Ctx, body: Json) => unknown) =>
    router.on(method, `/__control${pattern}`, async (ctx) => {
      const parsed = jsonObject(ctx.rawBody);
      if (parsed === null) return sendJson(ctx.res, 400, { error: 'the body must be a JSON object' }, CORS_HEADERS);
      try {
        const result = await handler(ctx, parsed ?? {});
        return sendJson(ctx.res, 200, result ?? { ok: true }, CORS_HEADERS);
      } catch (e) {
        if (e instanceof ControlError) return sendJson(ctx.res, e.status, { error: e.message }, CORS_HEADERS);
        sim.opts.log(`control error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        return sendJson(ctx.res, 500, { error: e instanceof Error ? e.message : String(e) }, CORS_HEADERS);
      }
    });
  const q = (ctx: Ctx, name: string) => ctx.query.get(name) ?? undefined;
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);

  route('GET', '/state', () => sim.state);

  route('GET', '/merchants', () => control.merchants());
  route('POST', '/merchants', (_c, b) => control.registerMerchant(b as never));
  route('GET', '/merchants/:mchid', (c) => control.merchant(c.params.mchid));
  route('POST', '/merchants/:mchid/platform', (c, b) => control.setPlatform({ mchid: c.params.mchid, mode: b.mode as never, rotateCertificate: b.rotateCertificate === true }));
  route('POST', '/merchants/:mchid/balance', (c, b) => control.setMerchantBalance({ mchid: c.params.mchid, balanceFen: (b.balanceFen ?? null) as number | null }));
  route('POST', '/merchants/:mchid/refund-outcomes', (c, b) => control.queueRefundOutcomes({ mchid: c.params.mchid, outcomes: (b.outcomes ?? []) as never }));
  route('POST', '/merchants/:mchid/response-tampers', (c, b) => control.tamperNextResponses({ mchid: c.params.mchid, tampers: (b.tampers ?? []) as never }));

  route('GET', '/apps', () => control.apps());
  route('POST', '/apps', (_c, b) => control.registerApp(b as never));
  route('POST', '/apps/:appid/templates', (c, b) => control.addTemplate({ ...(b as unknown as TemplateOptions), appid: c.params.appid }));
  route('POST', '/apps/:appid/expire-tokens', (c) => control.expireTokens({ appid: c.params.appid }));

  route('GET', '/users', () => control.users());
  route('POST', '/users', (_c, b) => control.createUser(b as never));
  route('GET', '/users/:openid', (c) => control.user(c.params.openid));
  route('POST', '/users/:openid', (c, b) => control.updateUser(c.params.openid, b as never));
  route('POST', '/wx-login', (_c, b) => control.wxLogin(b as never));
  route('POST', '/users/:openid/login-code', (c) => control.wxLogin({ openid: c.params.openid }));
  route('POST', '/users/:openid/phone-code', (c, b) => control.phoneCode(c.params.openid, { phone: s(b.phone) }));
  route('POST', '/users/:openid/subscriptions', (c, b) => control.subscribe(c.params.openid, b as never));
  route('POST', '/users/:openid/payment-code', (c, b) => control.paymentCode(c.params.openid, b as never));
  route('GET', '/messages', (c) => control.messages({ openid: q(c, 'openid'), templateId: q(c, 'templateId'), appid: q(c, 'appid'), sentOnly: q(c, 'sentOnly') === 'true' }));

  route('GET', '/orders', (c) => control.orders({ mchid: q(c, 'mchid'), state: q(c, 'state') }));
  route('GET', '/orders/:outTradeNo', (c) => control.order(c.params.outTradeNo, q(c, 'mchid')));
  route('POST', '/orders/:outTradeNo/pay', (c, b) => control.pay(c.params.outTradeNo, withAt(b)));
  route('POST', '/orders/:outTradeNo/cancel', (c, b) => control.cancel(c.params.outTradeNo, s(b.mchid)));
  route('POST', '/orders/:outTradeNo/fail', (c, b) => control.fail(c.params.outTradeNo, { mchid: s(b.mchid), desc: s(b.desc) }));
  route('POST', '/orders/:outTradeNo/notify', (c, b) => control.notifyOrder(c.params.outTradeNo, b as never));
  route('GET', '/prepay/:prepayId', (c) => {
    const order = control.orders().find((o) => o.prepayId === c.params.prepayId);
    if (!order) throw new ControlError(404, `no order with prepay_id ${c.params.prepayId}`);
    const merchant = control.merchant(order.mchid);
    return { merchantName: merchant.name, mchid: order.mchid, appid: order.appid, outTradeNo: order.outTradeNo, description: order.description, totalFen: order.totalFen, state: order.state, prepayExpiresAt: order.prepayExpiresAt, paySheetUrl: `${sim.publicBaseUrl}/pay-sheet?prepay_id=${encodeURIComponent(c.params.prepayId)}` };
  });
  route('POST', '/prepay/:prepayId/pay', (c, b) => control.payByPrepayId(c.params.prepayId, withAt(b)));
  route('POST', '/prepay/:prepayId/cancel', (c) => control.cancelByPrepayId(c.params.prepayId));
  route('POST', '/request-payment', (_c, b) => control.requestPayment(b as never, b.action === 'cancel' ? 'cancel' : 'pay'));

  route('GET', '/refunds', (c) => control.refunds({ mchid: q(c, 'mchid'), outTradeNo: q(c, 'outTradeNo') }));
  route('POST', '/refunds/:outRefundNo/complete', (c, b) => control.completeRefund(c.params.outRefundNo, b as never));
  route('POST', '/refunds/:outRefundNo/notify', (c, b) => control.notifyRefund(c.params.outRefundNo, b as never));

  route('GET', '/notifications', (c) => control.notifications({ mchid: q(c, 'mchid'), ref: q(c, 'ref'), kind: q(c, 'kind') as never }));
  route('POST', '/notifications', (_c, b) => control.sendNotification(b as never));
  route('POST', '/notifications/hold', () => control.holdNotifications());
  route('POST', '/notifications/release', (_c, b) => control.releaseNotifications({ order: b.order as never }));
  route('POST', '/notifications/fail-next', (_c, b) => control.failNextDeliveries(Number(b.count)));
  route('POST', '/notifications/:id/redeliver', (c, b) => control.redeliver(c.params.id, { replay: b.replay === true }));
}

/** `at` may come as an ISO string over HTTP. */
function withAt(b: Json): Json {
  return typeof b.at === 'string' ? { ...b, at: Date.parse(b.at) } : b;
}
