import fc from 'fast-check';
import { displayVariables, fill, formatLocalTime, placeholders, render, wechatValue, WECHAT_KEYWORD_LIMITS, type TemplateView } from './render';

const template = (over: Partial<TemplateView>): TemplateView => ({ channel: 'email', externalId: null, page: null, fields: [], subject: null, body: null, ...over });

describe('template rendering', () => {
  it('fills {{variables}} and leaves unknown ones empty', () => {
    expect(fill('{{memberName}}您好，充值{{ amountYuan }}元{{nope}}', { memberName: '张伟', amountYuan: '100.00' })).toBe('张伟您好，充值100.00元');
    expect(placeholders('{{a}} {{b}} {{a}}')).toEqual(['a', 'b']);
  });

  it('shows money as yuan with the sign of a change, and the event time in the time zone', () => {
    const vars = displayVariables(
      { amountFen: 12345, changeFen: 500, walletChangeFen: -300, pointsChange: 20, pointsBalance: 120, at: '2026-11-23T02:05:00.000Z', expiryDate: '2026-12-31', couponName: null },
      { memberName: '张伟' },
      'Asia/Shanghai',
    );
    expect(vars).toMatchObject({
      memberName: '张伟',
      amountYuan: '123.45',
      changeYuan: '+5.00',
      walletChangeYuan: '-3.00',
      pointsChange: '+20',
      pointsBalance: '120',
      time: '2026-11-23 10:05',
      expiryDate: '2026-12-31',
      couponName: '',
    });
  });

  it('cuts WeChat keyword values to their limits, with an ellipsis only on text', () => {
    expect(wechatValue('thing1', '上海人民广场店会员储值充值成功通知，欢迎再次光临本店')).toHaveLength(20);
    expect(wechatValue('thing1', '上海人民广场店会员储值充值成功通知，欢迎再次光临本店').endsWith('…')).toBe(true);
    expect(wechatValue('amount2', '¥100.00')).toBe('¥100.00');
    expect(wechatValue('phrase3', '充值成功啦啦啦')).toBe('充值成功啦');
    expect(wechatValue('thing4', '')).toBe('无');
    expect(wechatValue('character_string5', ' ')).toBe('-');
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(WECHAT_KEYWORD_LIMITS)), fc.integer({ min: 1, max: 99 }), fc.string({ unit: 'grapheme', maxLength: 60 }), (type, n, value) => {
        const out = wechatValue(`${type}${n}`, value);
        expect([...out].length).toBeLessThanOrEqual(WECHAT_KEYWORD_LIMITS[type]);
        if ([...value].length <= WECHAT_KEYWORD_LIMITS[type] && value.trim() !== '') expect(out).toBe(value);
      }),
    );
  });

  it('renders each channel from its template, falling back to the event’s default text', () => {
    const vars = { memberName: '张伟', amountYuan: '100.00', storeName: '人民广场店' };
    const defaults = { subject: '充值成功通知', body: '{{memberName}}您好，充值{{amountYuan}}元' };
    expect(render(template({ channel: 'email' }), defaults, vars)).toEqual({ channel: 'email', subject: '充值成功通知', text: '张伟您好，充值100.00元' });
    expect(
      render(
        template({ channel: 'wechat', externalId: 'tmpl-1', page: 'pages/wallet/index', fields: [{ name: 'amount1', value: '{{amountYuan}}元' }, { name: 'thing2', value: '{{storeName}}' }] }),
        defaults,
        vars,
      ),
    ).toEqual({ channel: 'wechat', templateId: 'tmpl-1', page: 'pages/wallet/index', data: { amount1: { value: '100.00元' }, thing2: { value: '人民广场店' } } });
    expect(render(template({ channel: 'sms', externalId: 'SMS_1', fields: [{ name: 'amount', value: '{{amountYuan}}' }] }), defaults, vars)).toEqual({
      channel: 'sms',
      templateCode: 'SMS_1',
      params: [{ name: 'amount', value: '100.00' }],
      text: '张伟您好，充值100.00元',
    });
  });

  it('formats instants as local wall-clock time', () => {
    expect(formatLocalTime(new Date('2026-12-31T16:30:00Z'), 'Asia/Shanghai')).toBe('2027-01-01 00:30');
  });
});
