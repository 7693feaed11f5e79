import { randomUUID } from 'node:crypto';
import { addDays, businessDay } from '@chaincard/shared';
import type { DataSource } from 'typeorm';
import type TestAgent from 'supertest/lib/agent';
import { AuthService } from '../../src/modules/auth/auth.service';
import { currentTestApp } from '../support/test-app';
import { makeSku, type SkuRow } from './catalog';

type Auth = { Authorization: string };

/** A bookable service (a service product with one SKU) of the given duration. */
export function makeService(ds: DataSource, over: { name?: string; durationMinutes?: number; priceFen?: number; code?: string } = {}): Promise<SkuRow> {
  return makeSku(ds, { kind: 'service', name: over.name, durationMinutes: over.durationMinutes ?? 60, priceFen: over.priceFen ?? 8800, code: over.code ?? null });
}

/** The calendar day `n` days from today in Shanghai (where test stores are). */
export function dayFromToday(n: number): string {
  return addDays(businessDay(new Date(), 'Asia/Shanghai'), n);
}

/** An instant on a Shanghai wall clock, as the API takes it. */
export function shanghai(day: string, hhmm: string): string {
  return `${day}T${hhmm}:00+08:00`;
}

/** A member's bearer header, as the mini-program holds it after signing in. */
export async function memberAuth(memberId: string): Promise<Auth> {
  const { accessToken } = await currentTestApp().app.get(AuthService).issueMemberSession(memberId);
  return { Authorization: `Bearer ${accessToken}` };
}

/** Every weekday the same hours at a store, and the services the staff member performs. */
export async function scheduleStaff(http: TestAgent, auth: Auth, storeId: string, staffId: string, hours: { start: string; end: string }[] = [{ start: '09:00', end: '18:00' }], productIds: string[] = []): Promise<void> {
  const intervals = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => hours.map((h) => ({ weekday, ...h })));
  const res = await http.put(`/api/stores/${storeId}/staff/${staffId}/weekly-schedule`).set(auth).send({ intervals });
  if (res.status !== 200) throw new Error(`schedule: ${res.status} ${JSON.stringify(res.body)}`);
  if (productIds.length) {
    const skills = await http.put(`/api/staff/${staffId}/services`).set(auth).send({ productIds });
    if (skills.status !== 200) throw new Error(`services: ${skills.status} ${JSON.stringify(skills.body)}`);
  }
}

export async function setBookingSettings(ds: DataSource, over: Partial<Record<'max_days_ahead' | 'min_lead_minutes' | 'cancel_deadline_minutes' | 'slot_step_minutes' | 'deposit_fen' | 'reminder_minutes' | 'max_active_per_member', number> & { auto_confirm: boolean }>): Promise<void> {
  const keys = Object.keys(over);
  if (!keys.length) return;
  await ds.query(`UPDATE booking_settings SET ${keys.map((k, i) => `${k} = $${i + 1}`).join(', ')} WHERE id = 1`, Object.values(over));
}

export const idem = () => ({ 'Idempotency-Key': randomUUID() });
