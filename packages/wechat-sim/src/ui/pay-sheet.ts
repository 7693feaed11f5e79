// The simulated phone's pay sheet (收银台): what WeChat shows after wx.requestPayment, so a person
// can press 支付 or 取消 in a demo. Opened as
//   /pay-sheet?prepay_id=wx…[&redirect=URL]
// or with the requestPayment parameters themselves (appId, timeStamp, nonceStr, package, signType,
// paySign), which are then checked like WeChat does. After a button, the page posts
// `{ type: 'wechat-sim:pay-result', result: 'ok' | 'cancel' | 'fail', prepayId }` to its opener or
// parent and, when redirect is given, goes there with `pay_result` and `prepay_id` added.
import { payParamsSignMessage, rsaVerify } from '../crypto/wechatpay-crypto';
import { send, type Ctx } from '../http/router';
import { findOrderByPrepayId } from '../pay/transactions';
import type { Sim } from '../sim';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function paySheet(sim: Sim, ctx: Ctx): void {
  const q = ctx.query;
  const pkg = q.get('package');
  const prepayId = q.get('prepay_id') ?? (pkg ? /^prepay_id=(.+)$/.exec(pkg)?.[1] : undefined) ?? '';
  const redirect = q.get('redirect') ?? '';
  const order = prepayId ? findOrderByPrepayId(sim, prepayId) : undefined;
  let problem: string | null = null;
  let requestPayment: Record<string, string> | null = null;
  if (!order) problem = '订单不存在或 prepay_id 无效';
  else if (pkg) {
    requestPayment = {
      appId: q.get('appId') ?? '',
      timeStamp: q.get('timeStamp') ?? '',
      nonceStr: q.get('nonceStr') ?? '',
      package: pkg,
      signType: q.get('signType') ?? '',
      paySign: q.get('paySign') ?? '',
    };
    const merchant = sim.merchant(order.mchid)!;
    const message = payParamsSignMessage(requestPayment.appId, requestPayment.timeStamp, requestPayment.nonceStr, pkg);
    if (requestPayment.appId !== order.appid || !merchant.certificates.some((c) => rsaVerify(message, requestPayment!.paySign, c.publicKeyPem))) problem = '支付验证签名失败';
  }
  if (order && !problem) {
    if (order.state === 'SUCCESS' || order.state === 'REFUND') problem = '该订单已支付';
    else if (order.state !== 'NOTPAY') problem = `订单状态为 ${order.state}，不能支付`;
    else if (order.prepayExpiresAt !== null && order.prepayExpiresAt <= sim.now()) problem = '支付已过期，请重新下单';
  }
  const merchantName = order ? sim.merchant(order.mchid)?.name ?? order.mchid : '';
  const amount = order ? (order.totalFen / 100).toFixed(2) : '';
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>微信支付（模拟）</title>
<style>
body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#ededed;color:#111}
.sheet{max-width:420px;margin:0 auto;min-height:100vh;display:flex;flex-direction:column;justify-content:flex-end}
.card{background:#fff;border-radius:12px 12px 0 0;padding:24px 20px 32px;text-align:center}
.title{font-size:15px;color:#555}.merchant{font-size:17px;margin:8px 0 4px}.desc{font-size:13px;color:#888}
.amount{font-size:40px;font-weight:600;margin:20px 0}.amount small{font-size:24px;margin-right:4px}
.row{display:flex;justify-content:space-between;font-size:14px;color:#555;border-top:1px solid #eee;padding:12px 0;text-align:left}
button{width:100%;border:0;border-radius:8px;font-size:17px;padding:13px 0;margin-top:12px;cursor:pointer}
#pay{background:#07c160;color:#fff}#cancel{background:#f2f2f2;color:#07c160}
.problem{color:#fa5151;margin:16px 0}.result{font-size:18px;margin:16px 0}.sim{font-size:11px;color:#aaa;margin-top:16px}
</style></head><body><div class="sheet"><div class="card">
<div class="title">微信支付</div>
${order ? `<div class="merchant" id="merchant">${esc(merchantName)}</div><div class="desc">${esc(order.description)}</div>
<div class="amount" id="amount"><small>¥</small>${amount}</div>
<div class="row"><span>付款方式</span><span>零钱</span></div>` : ''}
${problem ? `<div class="problem" id="problem">${esc(problem)}</div>` : `<button id="pay">支付</button><button id="cancel">取消</button>`}
<div class="result" id="result"></div>
<div class="sim">ChainCard 本地微信模拟器 · 非真实支付</div>
</div></div>
<script>
const prepayId = ${JSON.stringify(prepayId)};
const redirect = ${JSON.stringify(redirect)};
const requestPayment = ${JSON.stringify(requestPayment)};
function finish(result, text){
  document.getElementById('result').textContent = text;
  for (const b of document.querySelectorAll('button')) b.remove();
  const msg = { type: 'wechat-sim:pay-result', result, prepayId };
  if (window.opener) window.opener.postMessage(msg, '*');
  if (window.parent !== window) window.parent.postMessage(msg, '*');
  if (redirect) { const u = new URL(redirect, location.href); u.searchParams.set('pay_result', result); u.searchParams.set('prepay_id', prepayId); setTimeout(() => location.assign(u.toString()), 600); }
}
async function act(action){
  const url = requestPayment ? '/__control/request-payment' : '/__control/prepay/' + encodeURIComponent(prepayId) + '/' + action;
  const body = requestPayment ? JSON.stringify(Object.assign({ action }, requestPayment)) : '{}';
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) return finish('fail', json.error || '支付失败');
  finish(action === 'pay' ? 'ok' : 'cancel', action === 'pay' ? '支付成功' : '已取消支付');
}
for (const [id, action] of [['pay', 'pay'], ['cancel', 'cancel']]) { const b = document.getElementById(id); if (b) b.onclick = () => act(action); }
</script></body></html>`;
  send(ctx.res, 200, html, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
}
