import { IdempotencySweeper } from '../../../src/common/idempotency/idempotency.interceptor';
import { signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('Idempotency-Key', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await signedIn(t.ds, t.http, 'owner');
  });
  afterAll(() => t.close());

  const stores = async (code: string) => Number((await t.ds.query('SELECT count(*) AS n FROM store WHERE code = $1', [code]))[0].n);
  const audits = async (code: string) =>
    Number((await t.ds.query(`SELECT count(*) AS n FROM audit_log WHERE action = 'store.create' AND after->>'code' = $1`, [code]))[0].n);
  const create = (key: string, body: object, auth = owner.auth) => t.http.post('/api/stores').set(auth).set('Idempotency-Key', key).send(body);

  it('replays the original result for a repeated Idempotency-Key', async () => {
    const body = { code: 'IDEM1', name: '幂等一店', city: '上海' };
    const first = await create('key-replay-0001', body).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await create('key-replay-0001', { city: '上海', name: '幂等一店', code: 'IDEM1' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(await stores('IDEM1')).toBe(1);
    expect(await audits('IDEM1')).toBe(1);
  });

  it('refuses the same key with a different request with 422 and changes nothing', async () => {
    await create('key-reused-0001', { code: 'IDEM2', name: '幂等二店', city: '上海' }).expect(201);
    const res = await create('key-reused-0001', { code: 'IDEM3', name: '幂等三店', city: '上海' }).expect(422);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stores('IDEM3')).toBe(0);
  });

  it('applies 50 concurrent duplicates exactly once', async () => {
    const body = { code: 'IDEM50', name: '并发店', city: '杭州' };
    const results = await Promise.all(Array.from({ length: 50 }, () => create('key-concurrent-50', body)));
    const ok = results.filter((r) => r.status === 201);
    const inFlight = results.filter((r) => r.status === 409);
    expect(ok.length + inFlight.length).toBe(50);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    inFlight.forEach((r) => expect(r.body.error.code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT'));
    // Every success is the one original result, byte for byte.
    expect(new Set(ok.map((r) => r.text)).size).toBe(1);
    expect(await stores('IDEM50')).toBe(1);
    expect(await audits('IDEM50')).toBe(1);
    // After the dust settles, a retry replays.
    const later = await create('key-concurrent-50', body).expect(201);
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(later.text).toBe(ok[0].text);
  });

  it('scopes keys to the caller: the same key from someone else is a new request', async () => {
    const other = await signedIn(t.ds, t.http, 'owner');
    await create('key-shared-00001', { code: 'IDEM4', name: '四店', city: '上海' }).expect(201);
    const res = await create('key-shared-00001', { code: 'IDEM5', name: '五店', city: '上海' }, other.auth).expect(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await stores('IDEM5')).toBe(1);
  });

  it('does not consume the key when the request fails, so a corrected retry goes through', async () => {
    await create('key-failed-00001', { code: 'IDEM6', name: '', city: '上海' }).expect(400);
    const taken = await create('key-failed-00002', { code: 'IDEM1', name: '重复编码', city: '上海' }).expect(409);
    expect(taken.body.error.code).toBe('STORE_CODE_TAKEN');
    await create('key-failed-00001', { code: 'IDEM6', name: '六店', city: '上海' }).expect(201);
    const n = await t.ds.query(`SELECT count(*)::int AS n FROM idempotency_key WHERE key IN ('key-failed-00001', 'key-failed-00002')`);
    expect(n[0].n).toBe(1);
  });

  it('refuses a malformed key', async () => {
    const res = await create('short', { code: 'IDEM7', name: '七店', city: '上海' }).expect(400);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(await stores('IDEM7')).toBe(0);
  });

  it('keeps results for the retention period and sweeps older ones', async () => {
    await create('key-retention-old', { code: 'IDEM8', name: '八店', city: '上海' }).expect(201);
    await create('key-retention-new', { code: 'IDEM9', name: '九店', city: '上海' }).expect(201);
    await t.ds.query(`UPDATE idempotency_key SET created_at = now() - interval '73 hours' WHERE key = 'key-retention-old'`);
    await t.ds.query(`UPDATE idempotency_key SET created_at = now() - interval '71 hours' WHERE key = 'key-retention-new'`);
    await t.app.get(IdempotencySweeper).sweep();
    const left = await t.ds.query(`SELECT key FROM idempotency_key WHERE key LIKE 'key-retention-%' ORDER BY key`);
    expect(left.map((r: { key: string }) => r.key)).toEqual(['key-retention-new']);
  });
});
