import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { startWechatSim, type WechatSim } from '../src';

const APPID = 'wx1234567890abcdef';
const SECRET = 'fedcba9876543210fedcba9876543210';
const TEMPLATE = 'BALANCE_CHANGE_TEMPLATE_ID_0000000000000001';

describe('mini-program server APIs', () => {
  let sim: WechatSim;
  const get = async (path: string) => {
    const res = await fetch(sim.baseUrl + path);
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(sim.baseUrl + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return res;
  };
  const postJson = async (path: string, body: unknown) => (await (await post(path, body)).json()) as Record<string, unknown>;
  const stableToken = async (force = false) => (await postJson('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APPID, secret: SECRET, force_refresh: force })).access_token as string;
  const session = (code: string, secret = SECRET) => get(`/sns/jscode2session?appid=${APPID}&secret=${secret}&js_code=${code}&grant_type=authorization_code`);

  beforeAll(async () => {
    sim = await startWechatSim({
      seed: 'mp-test',
      apps: [
        {
          appid: APPID,
          secret: SECRET,
          pages: ['pages/join/index'],
          templates: [{ templateId: TEMPLATE, title: '储值余额变动提醒', keywords: ['thing1', 'amount2', 'time3', 'phrase4'] }],
        },
      ],
    });
  });
  afterAll(() => sim.close());

  describe('jscode2session', () => {
    it('turns a wx.login code into a stable openid, unionid and a session key, once', async () => {
      const login = sim.control.wxLogin();
      const s = await session(login.code);
      expect(s).toEqual({ session_key: expect.any(String), openid: login.openid, unionid: login.unionid });
      expect(s.openid).toMatch(/^o[\w-]{27}$/);
      expect(await session(login.code)).toMatchObject({ errcode: 40163 });
      // The same user logging in again keeps their openid.
      const again = await session(sim.control.wxLogin({ openid: login.openid }).code);
      expect(again.openid).toBe(login.openid);
      expect(again.unionid).toBe(login.unionid);
    });

    it('answers errors as HTTP 200 with errcode and errmsg', async () => {
      expect(await session('nonsense')).toMatchObject({ errcode: 40029, errmsg: expect.stringMatching(/^invalid code, rid: [0-9a-f-]+$/) });
      expect(await session(sim.control.wxLogin().code, 'wrong')).toMatchObject({ errcode: 40125 });
      expect(await get(`/sns/jscode2session?appid=wx0&secret=x&js_code=x&grant_type=authorization_code`)).toMatchObject({ errcode: 40013 });
      expect(await get(`/sns/jscode2session?appid=${APPID}&secret=${SECRET}&grant_type=authorization_code`)).toMatchObject({ errcode: 41008 });
    });
  });

  describe('access tokens', () => {
    it('stable_token returns the same token until force_refresh, which ends the old one', async () => {
      const a = await stableToken();
      expect(await stableToken()).toBe(a);
      const b = await stableToken(true);
      expect(b).not.toBe(a);
      expect(await postJson(`/wxa/business/getuserphonenumber?access_token=${a}`, { code: 'x' })).toMatchObject({ errcode: 40001 });
      expect(await postJson(`/wxa/business/getuserphonenumber?access_token=${b}`, { code: 'x' })).toMatchObject({ errcode: 40029 });
    });

    it('cgi-bin/token issues tokens that expire; an expired token gets 42001', async () => {
      const t = await get(`/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SECRET}`);
      expect(t).toEqual({ access_token: expect.any(String), expires_in: 7200 });
      expect(await get(`/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=nope`)).toMatchObject({ errcode: 40125 });
      sim.control.expireTokens({ appid: APPID });
      expect(await postJson(`/wxa/business/getuserphonenumber?access_token=${String(t.access_token)}`, { code: 'x' })).toMatchObject({ errcode: 42001 });
      expect(await postJson(`/wxa/business/getuserphonenumber`, { code: 'x' })).toMatchObject({ errcode: 41001 });
    });
  });

  describe('subscribe messages', () => {
    const message = (touser: string, data?: Record<string, { value: string }>) => ({
      touser,
      template_id: TEMPLATE,
      page: 'pages/wallet/index',
      miniprogram_state: 'formal',
      lang: 'zh_CN',
      data: data ?? { thing1: { value: '储值消费' }, amount2: { value: '¥25.00' }, time3: { value: '2026年11月23日 15:01' }, phrase4: { value: '已完成' } },
    });

    it('sends once per consent: each accepted requestSubscribeMessage allows one message', async () => {
      const token = await stableToken();
      const user = sim.control.createUser({ phone: '13900000001' });
      const send = () => postJson(`/cgi-bin/message/subscribe/send?access_token=${token}`, message(user.openid));
      expect(await send()).toMatchObject({ errcode: 43101, errmsg: expect.stringContaining('user refuse to accept the msg') });
      expect(sim.control.subscribe(user.openid, { templateIds: [TEMPLATE], result: 'accept' })).toEqual({ errMsg: 'requestSubscribeMessage:ok', [TEMPLATE]: 'accept' });
      const ok = await send();
      expect(ok).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.any(Number) });
      expect(await send()).toMatchObject({ errcode: 43101 });
      const sent = sim.control.messages({ openid: user.openid, sentOnly: true });
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ templateId: TEMPLATE, page: 'pages/wallet/index', data: { thing1: { value: '储值消费' } } });
      expect(sim.control.messages({ openid: user.openid })).toHaveLength(3);
      sim.control.subscribe(user.openid, { templateIds: [TEMPLATE], result: 'reject' });
      expect(await send()).toMatchObject({ errcode: 43101 });
    });

    it('answers 40003 invalid openid, 40037 invalid template, 47003 bad data, 42001 expired token', async () => {
      const token = await stableToken();
      const user = sim.control.createUser();
      sim.control.subscribe(user.openid, { templateIds: [TEMPLATE] });
      const url = `/cgi-bin/message/subscribe/send?access_token=${token}`;
      expect(await postJson(url, message('oNOBODY_____________________'))).toMatchObject({ errcode: 40003 });
      expect(await postJson(url, { ...message(user.openid), template_id: 'nope' })).toMatchObject({ errcode: 40037 });
      const tooLong = await postJson(url, message(user.openid, { thing1: { value: '一二三四五六七八九十一二三四五六七八九十一' }, amount2: { value: '25' }, time3: { value: '15:01' }, phrase4: { value: '已完成' } }));
      expect(tooLong).toMatchObject({ errcode: 47003, errmsg: expect.stringContaining('data.thing1.value') });
      const missing = await postJson(url, message(user.openid, { thing1: { value: 'x' }, amount2: { value: '25' }, time3: { value: '15:01' } } as never));
      expect(missing).toMatchObject({ errcode: 47003, errmsg: expect.stringContaining('data.phrase4.value') });
      const badAmount = await postJson(url, message(user.openid, { thing1: { value: 'x' }, amount2: { value: '二十五' }, time3: { value: '15:01' }, phrase4: { value: '好' } }));
      expect(badAmount).toMatchObject({ errcode: 47003 });
      // The refused sends consumed nothing.
      expect(await postJson(url, message(user.openid))).toMatchObject({ errcode: 0 });
      sim.control.subscribe(user.openid, { templateIds: [TEMPLATE] });
      sim.control.expireTokens();
      expect(await postJson(url, message(user.openid))).toMatchObject({ errcode: 42001 });
    });
  });

  describe('phone number', () => {
    it('exchanges the getPhoneNumber code for the number, once', async () => {
      const token = await stableToken();
      const user = sim.control.createUser({ phone: '13812345678' });
      const { code } = sim.control.phoneCode(user.openid);
      const res = await postJson(`/wxa/business/getuserphonenumber?access_token=${token}`, { code });
      expect(res).toMatchObject({ errcode: 0, errmsg: 'ok', phone_info: { phoneNumber: '13812345678', purePhoneNumber: '13812345678', countryCode: '86', watermark: { appid: APPID } } });
      expect(await postJson(`/wxa/business/getuserphonenumber?access_token=${token}`, { code })).toMatchObject({ errcode: 40029 });
    });
  });

  describe('getwxacodeunlimit', () => {
    it('returns a PNG whose QR code encodes the scene', async () => {
      const token = await stableToken();
      const res = await post(`/wxa/getwxacodeunlimit?access_token=${token}`, { scene: 'store=SH001&ref=M00042', page: 'pages/join/index', width: 430 });
      expect(res.headers.get('content-type')).toBe('image/png');
      const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
      expect(png.width).toBeGreaterThanOrEqual(280);
      const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(qr?.data).toBe('store=SH001&ref=M00042');
    });

    it('refuses an unreleased page, a bad scene and a missing token with errcodes', async () => {
      const token = await stableToken();
      const url = `/wxa/getwxacodeunlimit?access_token=${token}`;
      expect(await (await post(url, { scene: 'a=1', page: 'pages/secret/index' })).json()).toMatchObject({ errcode: 41030 });
      expect(await (await post(url, { scene: 'a=1', page: 'pages/secret/index', check_path: false })).headers.get('content-type')).toBe('image/png');
      expect(await (await post(url, { scene: 'x'.repeat(33) })).json()).toMatchObject({ errcode: 40169 });
      expect(await (await post('/wxa/getwxacodeunlimit', { scene: 'a=1' })).json()).toMatchObject({ errcode: 41001 });
    });
  });
});

describe('determinism and persistence', () => {
  it('hands out the same ids for the same seed and calls', async () => {
    const run = async () => {
      const sim = await startWechatSim({ seed: 42, apps: [{ appid: APPID, secret: SECRET }] });
      try {
        const u = sim.control.createUser();
        return [u.openid, u.unionid, sim.control.wxLogin({ openid: u.openid }).code];
      } finally {
        await sim.close();
      }
    };
    expect(await run()).toEqual(await run());
  });

  it('keeps users, keys and orders in the state file across restarts', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const stateFile = join(mkdtempSync(join(tmpdir(), 'wechat-sim-')), 'state.json');
    const first = await startWechatSim({ stateFile });
    const merchant = first.control.merchants()[0];
    const user = first.control.createUser({ phone: '13700000000' });
    await first.close();
    const second = await startWechatSim({ stateFile });
    try {
      expect(second.control.merchants()[0]).toEqual(merchant);
      expect(second.control.user(user.openid).phone).toBe('13700000000');
      expect(merchant.generatedKeys?.privateKeyPem).toContain('PRIVATE KEY');
    } finally {
      await second.close();
    }
  });
});
