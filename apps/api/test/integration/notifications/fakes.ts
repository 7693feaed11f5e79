import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Local stand-ins for the providers, each checking requests the way the provider documents it.
 * The signature checks are written here from the providers' documents, separately from the
 * adapters' signing code, so that a mistake in one does not hide in the other.
 */

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

interface Fake {
  url: string;
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => unknown): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, Buffer.concat(chunks).toString('utf8'), res)).catch((err) => {
        res.writeHead(500).end(String(err));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const closeServer = (server: Server) => new Promise<void>((r) => server.close(() => r()));
const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

// ── Aliyun SMS ────────────────────────────────────────────────────────────────

export interface AliyunSend {
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  outId: string;
  bizId: string;
  day: string;
}

export interface FakeAliyun extends Fake {
  sends: AliyunSend[];
  /** Requests whose ACS3-HMAC-SHA256 signature did not verify. */
  refused: string[];
  /** The next SendSms answers with this code instead of OK. */
  failNext(code: string): void;
  /** Every SendSms answers with this code until set back to null. */
  failAll(code: string | null): void;
  /** Forget a send, as if it never reached Aliyun. */
  forget(outId: string): void;
  queries: number;
}

/**
 * Aliyun dysmsapi 2017-05-25 (RPC style, parameters in the query string), signature V3:
 * CanonicalRequest = METHOD\nPATH\nsorted, RFC 3986-encoded query\n`name:value\n` of each signed
 * header\nsigned header names\nhex sha256 of the body; the signature is hex HMAC-SHA256 over
 * "ACS3-HMAC-SHA256\n" + hex sha256(CanonicalRequest) with the AccessKey secret.
 */
export async function startFakeAliyun(keys: { accessKeyId: string; accessKeySecret: string }): Promise<FakeAliyun> {
  const sends: AliyunSend[] = [];
  const refused: string[] = [];
  const nonces = new Set<string>();
  let nextFailure: string | null = null;
  let allFailure: string | null = null;
  const fake = { sends, refused, queries: 0 } as FakeAliyun;
  const { server, url } = await listen((req, body, res) => {
    const [path, rawQuery = ''] = (req.url ?? '/').split('?');
    const params: Record<string, string> = {};
    for (const pair of rawQuery.split('&').filter(Boolean)) {
      const [k, v = ''] = pair.split('=');
      params[decodeURIComponent(k)] = decodeURIComponent(v);
    }
    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization ?? ''));
    const problem = (() => {
      if (!auth) return 'IncompleteSignature';
      if (auth[1] !== keys.accessKeyId) return 'InvalidAccessKeyId.NotFound';
      const signed = auth[2].split(';');
      for (const h of ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) if (!signed.includes(h)) return 'IncompleteSignature';
      if (req.headers['x-acs-content-sha256'] !== sha256(body)) return 'ContentSha256Mismatch';
      const query = Object.keys(params)
        .map((k) => [rfc3986(k), rfc3986(params[k])] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
      const headers = [...signed].sort().map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
      const canonical = `${req.method}\n${path}\n${query}\n${headers}\n${[...signed].sort().join(';')}\n${sha256(body)}`;
      const expected = hmac(keys.accessKeySecret, `ACS3-HMAC-SHA256\n${sha256(canonical)}`).toString('hex');
      if (expected !== auth[3]) return 'SignatureDoesNotMatch';
      const date = Date.parse(String(req.headers['x-acs-date']));
      if (!Number.isFinite(date) || Math.abs(Date.now() - date) > 15 * 60_000) return 'InvalidTimeStamp.Expired';
      const nonce = String(req.headers['x-acs-signature-nonce']);
      if (nonces.has(nonce)) return 'SignatureNonceUsed';
      nonces.add(nonce);
      return null;
    })();
    const requestId = randomUUID();
    if (problem) {
      refused.push(problem);
      return json(res, problem === 'SignatureDoesNotMatch' || problem.startsWith('Invalid') ? 400 : 403, { Code: problem, Message: problem, RequestId: requestId });
    }
    const action = String(req.headers['x-acs-action']);
    if (action === 'SendSms') {
      if (nextFailure || allFailure) {
        const code = (nextFailure ?? allFailure)!;
        nextFailure = null;
        return json(res, 200, { Code: code, Message: code, RequestId: requestId });
      }
      const send: AliyunSend = {
        phone: params.PhoneNumbers,
        signName: params.SignName,
        templateCode: params.TemplateCode,
        params: JSON.parse(params.TemplateParam || '{}'),
        outId: params.OutId,
        bizId: `${Date.now()}^${sends.length + 1}`,
        day: beijingDay(new Date()),
      };
      sends.push(send);
      return json(res, 200, { Code: 'OK', Message: 'OK', BizId: send.bizId, RequestId: requestId });
    }
    if (action === 'QuerySendDetails') {
      fake.queries++;
      const page = Number(params.CurrentPage || 1);
      const size = Number(params.PageSize || 10);
      const all = sends.filter((s) => s.phone === params.PhoneNumber && s.day === params.SendDate);
      const rows = all.slice((page - 1) * size, page * size).map((s) => ({
        PhoneNum: s.phone,
        SendStatus: 1,
        ErrCode: '',
        TemplateCode: s.templateCode,
        Content: `【${s.signName}】…`,
        SendDate: new Date().toISOString(),
        ReceiveDate: '',
        OutId: s.outId,
      }));
      return json(res, 200, { Code: 'OK', Message: 'OK', RequestId: requestId, TotalCount: all.length, SmsSendDetailDTOs: { SmsSendDetailDTO: rows } });
    }
    return json(res, 404, { Code: 'InvalidAction.NotFound', Message: action, RequestId: requestId });
  });
  fake.url = url;
  fake.failNext = (code) => {
    nextFailure = code;
  };
  fake.failAll = (code) => {
    allFailure = code;
  };
  fake.forget = (outId) => {
    const i = sends.findIndex((s) => s.outId === outId);
    if (i >= 0) sends.splice(i, 1);
  };
  fake.close = () => closeServer(server);
  return fake;
}

function beijingDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

// ── Tencent Cloud SMS ─────────────────────────────────────────────────────────

export interface TencentSend {
  phone: string;
  templateId: string;
  params: string[];
  signName: string;
  sessionContext: string;
  serialNo: string;
}

export interface FakeTencent extends Fake {
  sends: TencentSend[];
  refused: string[];
  /** Delivery receipts are listed by PullSmsSendStatusByPhoneNumber only once released. */
  receiptsVisible: boolean;
}

/**
 * Tencent Cloud API 3.0 (SMS 2021-01-11) with TC3-HMAC-SHA256: the signing key is derived from
 * "TC3" + SecretKey by HMACs over the UTC date, the service and "tc3_request"; the string signed is
 * "TC3-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" + hex sha256 of the canonical request,
 * whose headers are content-type, host and x-tc-action (value lower-cased).
 */
export async function startFakeTencent(keys: { secretId: string; secretKey: string; sdkAppId: string }): Promise<FakeTencent> {
  const fake = { sends: [] as TencentSend[], refused: [] as string[], receiptsVisible: true } as FakeTencent;
  const { server, url } = await listen((req, body, res) => {
    const requestId = randomUUID();
    const error = (code: string) => {
      fake.refused.push(code);
      return json(res, 200, { Response: { Error: { Code: code, Message: code }, RequestId: requestId } });
    };
    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization ?? ''));
    if (!auth) return error('AuthFailure.InvalidAuthorization');
    const [, secretId, date, service, signedHeaders, signature] = auth;
    if (secretId !== keys.secretId) return error('AuthFailure.SecretIdNotFound');
    const timestamp = Number(req.headers['x-tc-timestamp']);
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return error('AuthFailure.SignatureExpire');
    if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return error('AuthFailure.SignatureFailure');
    const headers = signedHeaders
      .split(';')
      .map((h) => `${h}:${h === 'x-tc-action' ? String(req.headers[h]).toLowerCase() : String(req.headers[h])}\n`)
      .join('');
    const canonical = ['POST', '/', '', headers, signedHeaders, sha256(body)].join('\n');
    const toSign = ['TC3-HMAC-SHA256', String(timestamp), `${date}/${service}/tc3_request`, sha256(canonical)].join('\n');
    const key = hmac(hmac(hmac(`TC3${keys.secretKey}`, date), service), 'tc3_request');
    if (createHmac('sha256', key).update(toSign).digest('hex') !== signature) return error('AuthFailure.SignatureFailure');
    const payload = JSON.parse(body) as Record<string, unknown>;
    if (payload.SmsSdkAppId !== keys.sdkAppId) return error('FailedOperation.SmsSdkAppIdVerifyFail');
    const action = String(req.headers['x-tc-action']);
    if (action === 'SendSms') {
      const phone = (payload.PhoneNumberSet as string[])[0];
      const send: TencentSend = {
        phone,
        templateId: String(payload.TemplateId),
        params: payload.TemplateParamSet as string[],
        signName: String(payload.SignName),
        sessionContext: String(payload.SessionContext ?? ''),
        serialNo: `2433:${fake.sends.length + 1}`,
      };
      fake.sends.push(send);
      return json(res, 200, {
        Response: { SendStatusSet: [{ SerialNo: send.serialNo, PhoneNumber: phone, Fee: 1, SessionContext: send.sessionContext, Code: 'Ok', Message: 'send success', IsoCode: 'CN' }], RequestId: requestId },
      });
    }
    if (action === 'PullSmsSendStatusByPhoneNumber') {
      const set = fake.receiptsVisible
        ? fake.sends
            .filter((s) => s.phone === payload.PhoneNumber)
            .map((s) => ({ UserReceiveTime: Math.floor(Date.now() / 1000), CountryCode: '86', SubscriberNumber: s.phone.slice(3), PhoneNumber: s.phone, SerialNo: s.serialNo, ReportStatus: 'SUCCESS', Description: 'DELIVRD', SessionContext: s.sessionContext }))
        : [];
      return json(res, 200, { Response: { PullSmsSendStatusSet: set, RequestId: requestId } });
    }
    return error('InvalidAction');
  });
  fake.url = url;
  fake.close = () => closeServer(server);
  return fake;
}

// ── WeChat mini-program server API ────────────────────────────────────────────

export interface WechatSend {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: string;
}

export interface FakeWechat extends Fake {
  sends: WechatSend[];
  tokenCalls: { force: boolean }[];
  /** Makes the current token invalid (as when another server force-refreshed it): sends get 40001. */
  invalidateToken(): void;
  /** Makes the current token expired: sends get 42001, and stable_token returns it until force_refresh. */
  expireTokenStickily(): void;
  /** openids that have not subscribed: sends to them get 43101. */
  unsubscribed: Set<string>;
  /** The next send answers with this errcode. */
  failNext(errcode: number): void;
}

/** WeChat's stable_token and subscribe-message send, answering errors as HTTP 200 with errcode. */
export async function startFakeWechat(app: { appId: string; secret: string }): Promise<FakeWechat> {
  const fake = { sends: [] as WechatSend[], tokenCalls: [] as { force: boolean }[], unsubscribed: new Set<string>() } as FakeWechat;
  let token = `tok-${randomUUID()}`;
  let valid = true;
  let sticky = false;
  let nextErr: number | null = null;
  const { server, url } = await listen((req, body, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && u.pathname === '/cgi-bin/stable_token') {
      const b = JSON.parse(body || '{}');
      fake.tokenCalls.push({ force: !!b.force_refresh });
      if (b.grant_type !== 'client_credential') return json(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
      if (b.appid !== app.appId) return json(res, 200, { errcode: 40013, errmsg: 'invalid appid' });
      if (b.secret !== app.secret) return json(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' });
      if (b.force_refresh || (!valid && !sticky)) {
        token = `tok-${randomUUID()}`;
        valid = true;
        sticky = false;
      }
      return json(res, 200, { access_token: token, expires_in: 7200 });
    }
    if (req.method === 'POST' && u.pathname === '/cgi-bin/message/subscribe/send') {
      const given = u.searchParams.get('access_token');
      if (given !== token) return json(res, 200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
      if (!valid) return json(res, 200, sticky ? { errcode: 42001, errmsg: 'access_token expired' } : { errcode: 40001, errmsg: 'invalid credential' });
      const b = JSON.parse(body || '{}') as WechatSend;
      if (nextErr !== null) {
        const errcode = nextErr;
        nextErr = null;
        return json(res, 200, { errcode, errmsg: `errcode ${errcode}` });
      }
      if (!b.touser || !b.template_id || !b.data) return json(res, 200, { errcode: 47001, errmsg: 'data format error' });
      if (fake.unsubscribed.has(b.touser)) return json(res, 200, { errcode: 43101, errmsg: 'user refuse to accept the msg' });
      fake.sends.push(b);
      return json(res, 200, { errcode: 0, errmsg: 'ok', msgid: 3000000000 + fake.sends.length });
    }
    return json(res, 404, { errcode: -1, errmsg: 'not found' });
  });
  fake.url = url;
  fake.invalidateToken = () => {
    valid = false;
    sticky = false;
  };
  fake.expireTokenStickily = () => {
    valid = false;
    sticky = true;
  };
  fake.failNext = (errcode) => {
    nextErr = errcode;
  };
  fake.close = () => closeServer(server);
  return fake;
}

// ── SMTP ──────────────────────────────────────────────────────────────────────

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface FakeSmtp extends Fake {
  port: number;
  mails: ReceivedMail[];
  /** Addresses refused at RCPT TO with 550. */
  refuse: Set<string>;
}

/** A local SMTP server (smtp-server) that keeps what it receives. */
export async function startSmtp(): Promise<FakeSmtp> {
  const mails: ReceivedMail[] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address)) {
        const err = Object.assign(new Error('550 No such user here'), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, port, mails, refuse, close: () => new Promise<void>((r) => server.close(() => r())) };
}
