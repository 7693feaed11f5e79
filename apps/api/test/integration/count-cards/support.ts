import { randomUUID } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';

type Auth = { Authorization: string };

/** Calls of the count-card API as a cashier would make them, each with a fresh Idempotency-Key unless one is given. */
export function countCardApi(http: TestAgent) {
  return {
    sell: (auth: Auth, memberId: string, body: object, key: string = randomUUID()) =>
      http.post(`/api/members/${memberId}/count-cards`).set(auth).set('Idempotency-Key', key).send(body),
    redeem: (auth: Auth, cardId: string, body: object, key: string = randomUUID()) =>
      http.post(`/api/count-cards/${cardId}/redemptions`).set(auth).set('Idempotency-Key', key).send(body),
    reverse: (auth: Auth, redemptionId: string, body: object, key: string = randomUUID()) =>
      http.post(`/api/count-card-redemptions/${redemptionId}/reverse`).set(auth).set('Idempotency-Key', key).send(body),
    start: (auth: Auth, cardId: string, body: object, key: string = randomUUID()) =>
      http.post(`/api/count-cards/${cardId}/timers`).set(auth).set('Idempotency-Key', key).send(body),
    stop: (auth: Auth, timerId: string, key: string = randomUUID()) => http.post(`/api/count-card-timers/${timerId}/stop`).set(auth).set('Idempotency-Key', key).send({}),
    card: (auth: Auth, cardId: string) => http.get(`/api/count-cards/${cardId}`).set(auth),
    reconcile: async (auth: Auth) => {
      const res = await http.get('/api/reconcile').set(auth);
      return { status: res.status, ok: res.body.ok, failing: (res.body.checks ?? []).filter((c: { violations: number }) => c.violations > 0) };
    },
  };
}
