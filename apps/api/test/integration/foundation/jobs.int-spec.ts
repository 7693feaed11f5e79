import { JobScheduler } from '../../../src/common/jobs/job-scheduler';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('periodic jobs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('runs a daily job once per business day however often it ticks, and retries a failed one', async () => {
    const scheduler = t.app.get(JobScheduler);
    const calls: string[] = [];
    let fail = true;
    scheduler.register({
      name: 'test.daily',
      schedule: { daily: '03:00' },
      run: async (now) => {
        calls.push(now.toISOString());
        if (fail) throw new Error('first attempt fails');
        return { ok: true };
      },
    });
    const day = new Date('2026-11-23T01:00:00Z'); // 09:00 in Shanghai
    expect(await scheduler.tick(day)).toEqual([{ job: 'test.daily', period: '2026-11-23', status: 'failed' }]);
    fail = false;
    expect(await scheduler.tick(day)).toEqual([{ job: 'test.daily', period: '2026-11-23', status: 'done' }]);
    await Promise.all([scheduler.tick(day), scheduler.tick(day), scheduler.tick(day)]);
    expect(calls).toHaveLength(2);
    expect(await scheduler.tick(new Date('2026-11-24T01:00:00Z'))).toEqual([{ job: 'test.daily', period: '2026-11-24', status: 'done' }]);
    const runs = await t.ds.query(`SELECT period, status, result FROM job_run WHERE job = 'test.daily' ORDER BY period`);
    expect(runs).toEqual([
      { period: '2026-11-23', status: 'done', result: { ok: true } },
      { period: '2026-11-24', status: 'done', result: { ok: true } },
    ]);
  });
});
