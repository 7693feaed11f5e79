import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalQuery, percentEncode, signAliyunV3, signTencentTc3 } from './signing';

const aliyun = (over: Partial<Parameters<typeof signAliyunV3>[0]> = {}) =>
  signAliyunV3({
    method: 'POST',
    path: '/',
    query: { PhoneNumbers: '13800000001', SignName: '悦茶', TemplateCode: 'SMS_1', TemplateParam: '{"amount":"1.00"}' },
    headers: {
      host: 'dysmsapi.aliyuncs.com',
      'x-acs-action': 'SendSms',
      'x-acs-version': '2017-05-25',
      'x-acs-date': '2026-11-23T02:00:00Z',
      'x-acs-signature-nonce': 'n-1',
      'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    },
    body: '',
    accessKeyId: 'AKID',
    accessKeySecret: 'secret',
    ...over,
  });

describe('SMS request signing', () => {
  it('percent-encodes by RFC 3986 and sorts the query by name', () => {
    expect(percentEncode("a b*c~d'(!)")).toBe('a%20b%2Ac~d%27%28%21%29');
    expect(percentEncode('悦')).toBe('%E6%82%A6');
    expect(canonicalQuery({ b: '2', a: '1 1', A: 'x' })).toBe('A=x&a=1%201&b=2');
  });

  it('builds the Aliyun V3 canonical request and Authorization header', () => {
    const s = aliyun();
    expect(s.canonicalRequest.split('\n').slice(0, 3)).toEqual(['POST', '/', canonicalQuery({ PhoneNumbers: '13800000001', SignName: '悦茶', TemplateCode: 'SMS_1', TemplateParam: '{"amount":"1.00"}' })]);
    expect(s.canonicalRequest).toContain('host:dysmsapi.aliyuncs.com\nx-acs-action:SendSms\n');
    expect(s.stringToSign).toMatch(/^ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
    expect(s.authorization).toMatch(
      /^ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$/,
    );
  });

  it('changes the Aliyun signature when any signed part or the secret changes', () => {
    const base = aliyun().authorization;
    expect(aliyun({ accessKeySecret: 'other' }).authorization).not.toBe(base);
    expect(aliyun({ query: { PhoneNumbers: '13800000002' } }).authorization).not.toBe(base);
    expect(aliyun({ method: 'GET' }).authorization).not.toBe(base);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (nonce) => {
        fc.pre(nonce.trim() !== 'n-1');
        const headers = { host: 'dysmsapi.aliyuncs.com', 'x-acs-action': 'SendSms', 'x-acs-version': '2017-05-25', 'x-acs-date': '2026-11-23T02:00:00Z', 'x-acs-signature-nonce': nonce, 'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };
        expect(aliyun({ headers }).authorization).not.toBe(base);
      }),
    );
  });

  it('builds the Tencent TC3 signature with the date scope of the timestamp', () => {
    const input = { host: 'sms.tencentcloudapi.com', service: 'sms', action: 'SendSms', payload: '{"a":1}', timestamp: 1795000000, contentType: 'application/json; charset=utf-8', secretId: 'AKID', secretKey: 'key' };
    const s = signTencentTc3(input);
    const date = new Date(1795000000 * 1000).toISOString().slice(0, 10);
    expect(s.canonicalRequest).toBe(
      `POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:sms.tencentcloudapi.com\nx-tc-action:sendsms\n\ncontent-type;host;x-tc-action\n${createHash('sha256').update('{"a":1}').digest('hex')}`,
    );
    expect(s.stringToSign.split('\n').slice(0, 3)).toEqual(['TC3-HMAC-SHA256', '1795000000', `${date}/sms/tc3_request`]);
    expect(s.authorization).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=AKID/${date}/sms/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=[0-9a-f]{64}$`));
    expect(signTencentTc3({ ...input, payload: '{"a":2}' }).authorization).not.toBe(s.authorization);
    expect(signTencentTc3({ ...input, secretKey: 'other' }).authorization).not.toBe(s.authorization);
  });
});
