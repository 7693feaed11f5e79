import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { businessDay, DEFAULT_TIME_ZONE } from '@chaincard/shared';
import { TransactionHost } from '../db/transaction-host';
import type { JsonLogger } from '../logger';
import { requestContext } from '../request-context';

export interface PeriodicJob {
  /** Stable name, e.g. 'tiers.evaluate-all'. */
  name: string;
  /** daily: once per business day (chain time zone) at or after `at` (HH:mm); every: each N minutes. */
  schedule: { daily: string } | { everyMinutes: number };
  run(now: Date): Promise<unknown>;
}

/**
 * Runs registered periodic jobs (tier evaluation, points and card expiry, bonus instalments…).
 * A job's period key (the business day, or the N-minute slot) is claimed with an INSERT on
 * job_run's primary key, so it runs once per period across instances and restarts; a job that
 * fails is retried on the next tick of the same period. Jobs must themselves be idempotent.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly jobs = new Map<string, PeriodicJob>();
  private timer?: NodeJS.Timeout;
  private ticking: Promise<void> | null = null;
  private enabled = true;

  constructor(
    private readonly tx: TransactionHost,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {}

  register(job: PeriodicJob): void {
    if (this.jobs.has(job.name)) throw new Error(`job ${job.name} registered twice`);
    this.jobs.set(job.name, job);
  }

  /** Tests drive jobs by hand: no background ticks. */
  disable(): void {
    this.enabled = false;
    if (this.timer) clearInterval(this.timer);
  }

  onApplicationBootstrap(): void {
    if (process.env.NODE_ENV === 'test') this.enabled = false;
    if (!this.enabled) return;
    this.timer = setInterval(() => void this.tick(new Date()), 60_000);
    this.timer.unref();
    setTimeout(() => void this.tick(new Date()), 5_000).unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  /** Runs every job that is due at `now` and not yet done for its period. */
  async tick(now: Date): Promise<{ job: string; period: string; status: string }[]> {
    const ran: { job: string; period: string; status: string }[] = [];
    const work = (async () => {
      for (const job of this.jobs.values()) {
        const period = periodOf(job, now);
        if (!period) continue;
        if (!(await this.claim(job.name, period))) continue;
        try {
          const result = await requestContext.run({ requestId: `job:${job.name}:${period}`, ip: '' }, () => job.run(now));
          await this.finish(job.name, period, 'done', result ?? null, null);
          ran.push({ job: job.name, period, status: 'done' });
        } catch (err) {
          this.logger.write('error', 'job failed', { job: job.name, period, err: String(err) });
          await this.finish(job.name, period, 'failed', null, String(err));
          ran.push({ job: job.name, period, status: 'failed' });
        }
      }
    })();
    this.ticking = work;
    await work;
    this.ticking = null;
    return ran;
  }

  get registered(): string[] {
    return [...this.jobs.keys()];
  }

  private async claim(job: string, period: string): Promise<boolean> {
    const rows = await this.tx.dataSource.query(
      `INSERT INTO job_run (job, period) VALUES ($1, $2)
       ON CONFLICT (job, period) DO UPDATE SET status = 'running', started_at = now(), error = NULL
         WHERE job_run.status = 'failed'
       RETURNING job`,
      [job, period],
    );
    return rows.length > 0;
  }

  private async finish(job: string, period: string, status: 'done' | 'failed', result: unknown, error: string | null): Promise<void> {
    await this.tx.dataSource.query('UPDATE job_run SET status = $3, finished_at = now(), result = $4, error = $5 WHERE job = $1 AND period = $2', [
      job,
      period,
      status,
      JSON.stringify(result),
      error,
    ]);
  }
}

export function periodOf(job: PeriodicJob, now: Date, timeZone = DEFAULT_TIME_ZONE): string | null {
  if ('everyMinutes' in job.schedule) {
    const slot = Math.floor(now.getTime() / (job.schedule.everyMinutes * 60_000));
    return `slot-${slot}`;
  }
  const local = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(now);
  return local >= job.schedule.daily ? businessDay(now, timeZone) : null;
}
