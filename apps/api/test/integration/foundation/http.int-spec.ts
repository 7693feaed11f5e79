import { signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('HTTP basics', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '64kb' });
    owner = await signedIn(t.ds, t.http, 'owner');
  });
  afterAll(() => t.close());

  const storeCount = async () => Number((await t.ds.query('SELECT count(*) AS n FROM store'))[0].n);

  it('reports health with the database and the applied schema', async () => {
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok', schema: expect.stringMatching(/^[A-Z]\w+\d{13}$/) });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a well-formed X-Request-Id and puts it in error bodies', async () => {
    const res = await t.http.get('/api/no-such-route').set('X-Request-Id', 'till-7.req-42').expect(404);
    expect(res.headers['x-request-id']).toBe('till-7.req-42');
    expect(res.body.error).toMatchObject({ code: 'ROUTE_NOT_FOUND', requestId: 'till-7.req-42' });
  });

  it('answers unknown routes with 404 in the error format', async () => {
    const res = await t.http.delete('/api/stores').set(owner.auth).expect(404);
    expect(res.body).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: '接口不存在', details: { method: 'DELETE', path: '/api/stores' }, requestId: expect.any(String) },
    });
  });

  it('answers in English when asked', async () => {
    const res = await t.http.get('/api/stores').set('Accept-Language', 'en-US,en;q=0.9').expect(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Please sign in' });
  });

  it('rejects bad input with 400, names every offending field, and changes nothing', async () => {
    const before = await storeCount();
    const res = await t.http
      .post('/api/stores')
      .set(owner.auth)
      .send({ code: 'a b', name: '', city: 42, timeZone: 'Mars/Base', businessHours: [{ weekday: 9, open: '25:00', close: '10:00' }], hacker: true })
      .expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const fields = res.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['businessHours[0].open', 'businessHours[0].weekday', 'city', 'code', 'hacker', 'name', 'timeZone']);
    expect(await storeCount()).toBe(before);
  });

  it('rejects malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await t.http.post('/api/stores').set(owner.auth).set('Content-Type', 'application/json').send('{"code": "S1",').expect(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('rejects bodies over BODY_LIMIT with 413 and changes nothing', async () => {
    const before = await storeCount();
    const res = await t.http
      .post('/api/stores')
      .set(owner.auth)
      .send({ code: 'BIG1', name: 'x'.repeat(70 * 1024), city: '上海' })
      .expect(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await storeCount()).toBe(before);
  });

  it('answers a malformed id in a path with 404, not 500', async () => {
    for (const id of ['not-a-uuid', "1' OR '1'='1", '00000000-0000-0000-0000-000000000000']) {
      const res = await t.http.get(`/api/stores/${encodeURIComponent(id)}`).set(owner.auth);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('STORE_NOT_FOUND');
    }
  });

  it('answers garbage query values with 400, not 500', async () => {
    const cases = ['/api/stores?page=0', '/api/stores?pageSize=1000', '/api/stores?page=abc', '/api/stores?status=deleted', '/api/audit-logs?from=yesterday', '/api/staff?storeId=x'];
    for (const url of cases) {
      const res = await t.http.get(url).set(owner.auth);
      expect({ url, status: res.status, code: res.body.error?.code }).toEqual({ url, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('serves the OpenAPI document as JSON and the docs page', async () => {
    const json = await t.http.get('/api/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/auth/login', '/api/stores/{storeId}']));
    const page = await t.http.get('/api/docs').expect(200);
    expect(page.text).toContain('swagger');
  });

  it('rejects a forged or expired bearer token', async () => {
    const res = await t.http.get('/api/stores').set('Authorization', 'Bearer abc.def.ghi').expect(401);
    expect(res.body.error.code).toBe('AUTH_TOKEN_INVALID');
  });
});
