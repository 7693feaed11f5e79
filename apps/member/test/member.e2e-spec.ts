/**
 * Member journeys in the H5 build, in headless Chromium against the real API with the demo chain.
 * Screenshots of every screen go to apps/member/test-results/screenshots.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { formatYuan } from '@chaincard/shared';
import { launch } from './support/chromium';
import { screenshotDir, startSystem, type System } from './support/system';

let sys: System;
let browser: Browser;
const shots = screenshotDir();

beforeAll(async () => {
  sys = await startSystem();
  browser = await launch();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await sys?.close();
});

async function signedInPage(phone: string): Promise<{ page: Page; token: string; memberId: string }> {
  const s = await sys.memberSession(phone);
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => console.error('page error:', e.message));
  pages.push(page);
  await page.goto(`${sys.origin}/member/#/account/login/index?accessToken=${encodeURIComponent(s.accessToken)}&refreshToken=${encodeURIComponent(s.refreshToken)}`);
  return { page, token: s.accessToken, memberId: s.memberId };
}

// On a failure, the screen as it was: test-results/screenshots/failed-<n>.png.
let pages: Page[] = [];
afterEach(async () => {
  const state = expect.getState();
  for (const [i, p] of pages.entries()) {
    if (!p.isClosed()) {
      await p.screenshot({ path: join(shots, `last-${(state.currentTestName ?? 'test').replace(/\W+/g, '-').slice(0, 60)}-${i}.png`) }).catch(() => undefined);
      await p.close();
    }
  }
  pages = [];
});

// After the page's slide-in animation has finished.
const shot = async (page: Page, name: string) => {
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
};

describe('member app (H5)', () => {
  it('serves the H5 build at /member/ from the API', async () => {
    const res = await fetch(`${sys.origin}/member/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="app"');
  });

  it('without a session, the app asks for a member link', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    page.setDefaultTimeout(15_000);
    pages.push(page);
    await page.goto(`${sys.origin}/member/`);
    await page.getByText('请从门店二维码或会员链接进入').filter({ visible: true }).first().waitFor();
    await shot(page, '00-login');
    await page.close();
  });

  it('home shows the member card (tier, card no., balance, points, coupons, count cards) and a member code that refreshes', async () => {
    const { page, token } = await signedInPage('13800000001');
    const wallet = (await sys.api('/api/me/wallet', { token })).body;
    const points = (await sys.api('/api/me/points', { token })).body;
    await page.getByText(`¥${formatYuan(wallet.totalFen)}`).filter({ visible: true }).first().waitFor();
    await page.getByText('CC20260001').filter({ visible: true }).first().waitFor();
    await page.getByText(`本金 ¥${formatYuan(wallet.principalFen)} · 赠送 ¥${formatYuan(wallet.bonusFen)}`).waitFor();
    const tier = (await sys.api('/api/me/tier', { token })).body.tier;
    if (tier) await page.getByText(tier.name).filter({ visible: true }).first().waitFor();
    expect(await page.locator('.stat-value').filter({ visible: true }).first().innerText()).toBe(String(points.balance));

    // The member code: a QR image of the code the API issued, and a countdown that runs.
    const code = page.locator('img[src^="data:image/gif"]');
    await code.waitFor();
    const shown = await page.getByText(/^\d{6,}$|^[A-Za-z0-9]{10,}$/).first().innerText();
    const before = await page.getByText(/秒后刷新/).innerText();
    await page.waitForTimeout(2100);
    const after = await page.getByText(/秒后刷新/).innerText();
    expect(before).not.toEqual(after);
    expect(shown.length).toBeGreaterThan(5);
    await shot(page, '01-home');
    await page.close();
  });

  it('wallet history lists the ledger lines with reason and store; points and count cards and coupons show', async () => {
    const { page, token } = await signedInPage('13800000002');
    const entries = (await sys.api('/api/me/wallet/entries?pageSize=50', { token })).body.items;
    expect(entries.length).toBeGreaterThan(0);
    await page.locator('.stat-label').filter({ visible: true, hasText: '余额明细' }).click();
    await page.getByText('充值').filter({ visible: true }).first().waitFor();
    await page.getByText('上海人民广场店').filter({ visible: true }).first().waitFor();
    expect(await page.locator('.plus, .minus').filter({ visible: true }).count()).toBe(entries.length);
    await shot(page, '02-wallet');

    await page.goto(`${sys.origin}/member/#/wallet/points/index`);
    await page.locator('.plus, .minus').filter({ visible: true }).first().waitFor();
    await shot(page, '03-points');

    await page.goto(`${sys.origin}/member/#/benefits/count-cards/index`);
    await page.getByText('剩余 9 次').filter({ visible: true }).first().waitFor();
    await shot(page, '04-count-cards');

    await page.goto(`${sys.origin}/member/#/benefits/coupons/index`);
    const coupons = (await sys.api('/api/me/coupons?pageSize=50', { token })).body;
    if (coupons.total > 0) await page.getByText(coupons.items[0].name).filter({ visible: true }).first().waitFor();
    else await page.getByText('暂无记录').filter({ visible: true }).first().waitFor();
    await shot(page, '05-coupons');
    await page.close();
  });

  it('points mall: exchange a gift, see the pickup code, points debited once', async () => {
    const { page, token, memberId } = await signedInPage('13800000002');
    // 李娜 has 200 points after the demo's canvas bag: the store adds 500 (补录) so she can exchange.
    const manager = await sys.staffToken('manager', 'Manager@2026');
    const me = (await sys.api('/api/me', { token })).body;
    const added = await sys.api(`/api/members/${memberId}/points/adjustments`, {
      method: 'POST',
      token: manager,
      headers: { 'idempotency-key': '7d0f5a52-8c1e-4f5e-9a43-0c2b8f6d1e11' },
      body: { storeId: me.homeStoreId, points: 500, reason: '补录漏积分' },
    });
    expect(added.status).toBe(201);
    const before = (await sys.api('/api/me/points', { token })).body.balance as number;
    await page.goto(`${sys.origin}/member/#/pages/mall/index`);
    await page.getByText('帆布袋').filter({ visible: true }).first().waitFor();
    await shot(page, '06-mall');
    const giftCard = page.locator('.card', { hasText: '帆布袋' });
    await giftCard.filter({ visible: true }).locator('.nut-button', { hasText: '兑换' }).first().click();
    await page.getByText('确认用 300 积分兑换「帆布袋」？').filter({ visible: true }).first().waitFor();
    await page.locator('.nut-button', { hasText: '确认' }).filter({ visible: true }).first().click();
    await page.getByText('取货码').filter({ visible: true }).first().waitFor();
    const redemptions = (await sys.api('/api/me/mall/redemptions?pageSize=50', { token })).body.items;
    const newest = redemptions[0];
    await page.getByText(newest.pickupCode).filter({ visible: true }).first().waitFor();
    await shot(page, '07-redemptions');
    expect((await sys.api('/api/me/points', { token })).body.balance).toBe(before - 300);
    await page.close();
  });

  it('shows empty states for a member with nothing yet', async () => {
    const owner = await sys.staffToken('owner', 'Owner@2026');
    const stores = (await sys.api('/api/stores', { token: owner })).body;
    const storeId = (stores.items ?? stores)[0].id;
    const created = await sys.api('/api/members', { method: 'POST', token: owner, body: { name: '新会员', phone: '13900000009', homeStoreId: storeId } });
    expect(created.status).toBe(201);
    const { page } = await signedInPage('13900000009');
    await page.getByText('¥0.00').filter({ visible: true }).first().waitFor();
    await page.goto(`${sys.origin}/member/#/wallet/balance/index`);
    await page.getByText('暂无记录').filter({ visible: true }).first().waitFor();
    await shot(page, '08-empty-wallet');
    await page.close();
  });

  it('shows an error state with retry when the API fails, and recovers on retry', async () => {
    const { page } = await signedInPage('13800000002');
    await page.getByText('银卡会员').filter({ visible: true }).first().waitFor();
    await page.route('**/api/me/points/entries**', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'boom' } }) }),
    );
    await page.goto(`${sys.origin}/member/#/wallet/points/index`);
    await page.getByText('服务器内部错误').filter({ visible: true }).first().waitFor();
    await shot(page, '09-error');
    await page.unroute('**/api/me/points/entries**');
    await page.locator('.nut-button', { hasText: '重试' }).filter({ visible: true }).first().click();
    await page.locator('.plus, .minus').filter({ visible: true }).first().waitFor();
  });
});
