import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';

export interface SupplierRow {
  id: string;
  code: string;
  name: string;
}

/** A supplier inserted directly (HTTP creation is tested in inventory). */
export async function makeSupplier(ds: DataSource, over: Partial<{ code: string; name: string; leadTimeDays: number; status: 'active' | 'inactive' }> = {}): Promise<SupplierRow> {
  const code = over.code ?? `SUP${randomBytes(3).toString('hex')}`;
  const [row] = await ds.query(`INSERT INTO supplier (code, name, lead_time_days, status) VALUES ($1, $2, $3, $4) RETURNING id, code, name`, [
    code,
    over.name ?? `供应商${code}`,
    over.leadTimeDays ?? 3,
    over.status ?? 'active',
  ]);
  return row;
}

type Auth = { Authorization: string };

/** Inventory's HTTP steps as tests call them: each asserts its status and returns the body. */
export function inventoryApi(http: TestAgent) {
  const key = () => `k-${randomUUID()}`;
  // The body as supertest gives it (untyped JSON), once the status is the expected one.
  const ok = async (req: Test, status: number) => {
    const res = await req;
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return {
    key,
    createOrder: (auth: Auth, storeId: string, body: object) => ok(http.post(`/api/stores/${storeId}/purchase-orders`).set(auth).send(body), 201),
    submit: (auth: Auth, id: string) => ok(http.post(`/api/purchase-orders/${id}/submit`).set(auth).send({}), 200),
    receive: (auth: Auth, id: string, body: object) => ok(http.post(`/api/purchase-orders/${id}/receipts`).set(auth).set('Idempotency-Key', key()).send(body), 201),
    /** A submitted order received in full: the usual way a test puts stock with a cost into a store. */
    async purchase(auth: Auth, storeId: string, supplierId: string, lines: { skuId: string; quantity: number; unitCostFen: number }[]) {
      const po = await this.createOrder(auth, storeId, { supplierId, lines });
      await this.submit(auth, po.id);
      return this.receive(auth, po.id, { lines: lines.map(({ skuId, quantity }) => ({ skuId, quantity })) });
    },
    requestTransfer: (auth: Auth, toStoreId: string, body: object) => ok(http.post(`/api/stores/${toStoreId}/transfers`).set(auth).send(body), 201),
    approve: (auth: Auth, id: string, body: object = {}) => ok(http.post(`/api/transfers/${id}/approve`).set(auth).send(body), 200),
    ship: (auth: Auth, id: string, body: object = {}) => ok(http.post(`/api/transfers/${id}/ship`).set(auth).set('Idempotency-Key', key()).send(body), 200),
    receiveTransfer: (auth: Auth, id: string, body: object = {}) => ok(http.post(`/api/transfers/${id}/receive`).set(auth).set('Idempotency-Key', key()).send(body), 200),
  };
}
