// Checkout throughput: 16 concurrent cashier clients each ring up orders for their own member
// through POST /api/orders — 3 lines re-priced by the server, 1 yuan of points and the rest from
// stored value — with every effect the API applies (quote, order and lines, payments, wallet spend
// and ledger, points debit and earn with lots, shift takings, spend facts, tier evaluation, audit,
// idempotency record) in one transaction. Baseline in the same run: a hand-written SQL transaction
// on raw pg doing the same kinds of writes (order, 3 lines, 2 payments, conditional balance updates
// with ledger rows, a spend row, takings, audit, idempotency) into scratch tables, same database.
import { randomUUID } from 'node:crypto';
import { fmt, ownerSession, percentiles, pg, startSystem, time } from './lib.mjs';

const CLIENTS = Number(process.env.BENCH_CHECKOUT_CLIENTS ?? 16);
const ORDERS_PER_CLIENT = Number(process.env.BENCH_CHECKOUT_ORDERS ?? 40);
const POINTS = 100;

export async function run() {
  const sys = await startSystem({ env: { DB_POOL_SIZE: process.env.BENCH_DB_POOL_SIZE ?? '20' } });
  try {
    const { storeId, headers } = await ownerSession(sys);
    const call = async (method, path, body, key = randomUUID()) => {
      const res = await fetch(`${sys.base}${path}`, { method, headers: { ...headers, 'idempotency-key': key }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: await res.json() };
    };
    const must = async (method, path, body, status) => {
      const res = await call(method, path, body);
      if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };

    await must('POST', '/shifts', { storeId, floatFen: 0 }, 201);
    await must('PATCH', '/points/settings', { offsetPoints: 100, offsetFen: 100, offsetMaxBps: 5000 }, 200);
    const skus = [];
    for (const [name, price] of [['珍珠奶茶', 1500], ['蛋糕', 2800], ['薯片', 850]]) {
      const product = await must('POST', '/catalog/products', { name, kind: 'goods', skus: [{ unit: '件', priceFen: price, memberPriceFen: price - 100, costFen: 300, trackStock: false }] }, 201);
      skus.push(product.skus[0].id);
    }
    const lines = skus.map((skuId, i) => ({ skuId, quantity: i + 1 }));
    const members = [];
    for (let i = 0; i < CLIENTS + 1; i++) {
      const m = await must('POST', '/members', { name: `基准会员${i}`, phone: `1390000${String(i).padStart(4, '0')}`, homeStoreId: storeId }, 201);
      await must('POST', `/members/${m.id}/wallet/top-ups`, { storeId, amountFen: 5_000_000, paymentMethod: 'cash' }, 201);
      await must('POST', `/members/${m.id}/points/adjustments`, { storeId, points: 1_000_000, reason: '基准积分' }, 201);
      members.push(m.id);
    }
    const quote = await must('POST', '/orders/quote', { storeId, memberId: members[0], lines, pointsToUse: POINTS }, 200);
    const order = (memberId) => ({ storeId, memberId, lines, pointsToUse: POINTS, expectedTotalFen: quote.totalFen, payments: [{ method: 'stored_value', amountFen: quote.dueFen }] });

    // Warm the route on a member of its own.
    for (let i = 0; i < 20; i++) await must('POST', '/orders', order(members[CLIENTS]), 201);
    const serial = [];
    for (let i = 0; i < 50; i++) serial.push((await time(() => must('POST', '/orders', order(members[CLIENTS]), 201))).ms);

    // ---- API: each client its own member, one order after another.
    const latencies = [];
    const other = [];
    const apiRun = await time(() =>
      Promise.all(
        members.slice(0, CLIENTS).map(async (memberId) => {
          for (let i = 0; i < ORDERS_PER_CLIENT; i++) {
            const t = process.hrtime.bigint();
            const res = await call('POST', '/orders', order(memberId));
            latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
            if (res.status !== 201) other.push(`${res.status} ${res.body.error?.code}`);
          }
        }),
      ),
    );
    const reconcile = await (await fetch(`${sys.base}/reconcile`, { headers })).json();

    // ---- Raw pg: the same kinds of writes per order in one transaction, scratch tables.
    await sys.db.query(`CREATE TABLE bench_account (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), member int NOT NULL, kind text NOT NULL, balance bigint NOT NULL CHECK (balance >= 0))`);
    await sys.db.query(`CREATE TABLE bench_entry (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id uuid NOT NULL, amount bigint NOT NULL, balance_after bigint NOT NULL, ref_type text NOT NULL, ref_id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await sys.db.query(`CREATE TABLE bench_order (id uuid PRIMARY KEY, member int NOT NULL, total_fen bigint NOT NULL, due_fen bigint NOT NULL, points_used int NOT NULL, points_earned int NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await sys.db.query(`CREATE TABLE bench_order_line (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), order_id uuid NOT NULL REFERENCES bench_order(id), line_no int NOT NULL, sku_id uuid NOT NULL, quantity int NOT NULL, total_fen bigint NOT NULL)`);
    await sys.db.query(`CREATE TABLE bench_payment (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), order_id uuid NOT NULL REFERENCES bench_order(id), method text NOT NULL, amount_fen bigint NOT NULL)`);
    await sys.db.query(`CREATE TABLE bench_spend (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), order_id uuid NOT NULL, amount_fen bigint NOT NULL)`);
    await sys.db.query(`CREATE TABLE bench_taking (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id uuid NOT NULL, method text NOT NULL, amount_fen bigint NOT NULL)`);
    await sys.db.query(`CREATE TABLE bench_audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, action text NOT NULL, entity_id uuid NOT NULL, after jsonb)`);
    await sys.db.query(`CREATE TABLE bench_idem (key text PRIMARY KEY, response text NOT NULL)`);
    for (let i = 0; i < CLIENTS; i++) {
      await sys.db.query(`INSERT INTO bench_account (member, kind, balance) VALUES ($1, 'wallet', 5000000), ($1, 'points', 1000000)`, [i]);
    }
    const accounts = (await sys.db.query(`SELECT id, member, kind FROM bench_account`)).rows;
    const accountOf = (member, kind) => accounts.find((a) => a.member === member && a.kind === kind).id;
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const c = new pg.Client({ connectionString: sys.url });
        await c.connect();
        return c;
      }),
    );
    const move = async (c, accountId, amount, refId) => {
      const u = await c.query('UPDATE bench_account SET balance = balance + $1 WHERE id = $2 AND balance + $1 >= 0 RETURNING balance', [amount, accountId]);
      if (u.rowCount !== 1) throw new Error('insufficient');
      await c.query('INSERT INTO bench_entry (account_id, amount, balance_after, ref_type, ref_id) VALUES ($1, $2, $3, $4, $5)', [accountId, amount, u.rows[0].balance, 'order', refId]);
    };
    const rawOrder = async (c, member) => {
      const id = randomUUID();
      const earned = Math.floor((quote.dueFen) / 100);
      await c.query('BEGIN');
      try {
        await c.query('INSERT INTO bench_idem (key, response) VALUES ($1, $2)', [randomUUID(), '{}']);
        await c.query('INSERT INTO bench_order (id, member, total_fen, due_fen, points_used, points_earned) VALUES ($1, $2, $3, $4, $5, $6)', [id, member, quote.totalFen, quote.dueFen, POINTS, earned]);
        for (const l of quote.lines) await c.query('INSERT INTO bench_order_line (order_id, line_no, sku_id, quantity, total_fen) VALUES ($1, $2, $3, $4, $5)', [id, l.lineNo, l.skuId, l.quantity, l.totalFen]);
        await c.query(`INSERT INTO bench_payment (order_id, method, amount_fen) VALUES ($1, 'points', $2), ($1, 'stored_value', $3)`, [id, quote.pointsOffsetFen, quote.dueFen]);
        await move(c, accountOf(member, 'points'), -POINTS, id);
        await move(c, accountOf(member, 'wallet'), -quote.dueFen, id);
        await c.query('INSERT INTO bench_spend (order_id, amount_fen) VALUES ($1, $2)', [id, quote.dueFen]);
        if (earned > 0) await move(c, accountOf(member, 'points'), earned, id);
        await c.query(`INSERT INTO bench_taking (order_id, method, amount_fen) VALUES ($1, 'points', $2), ($1, 'stored_value', $3)`, [id, quote.pointsOffsetFen, quote.dueFen]);
        await c.query(`INSERT INTO bench_audit (action, entity_id, after) VALUES ('order.create', $1, $2), ('wallet.spend', $1, $2)`, [id, JSON.stringify({ totalFen: quote.totalFen })]);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      }
    };
    const rawLatencies = [];
    let rawRun;
    try {
      for (let i = 0; i < 20; i++) await rawOrder(clients[0], 0);
      rawRun = await time(() =>
        Promise.all(
          clients.map(async (c, member) => {
            for (let i = 0; i < ORDERS_PER_CLIENT; i++) {
              const t = process.hrtime.bigint();
              await rawOrder(c, member);
              rawLatencies.push(Number(process.hrtime.bigint() - t) / 1e6);
            }
          }),
        ),
      );
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }

    const n = CLIENTS * ORDERS_PER_CLIENT;
    const A = percentiles(latencies);
    const R = percentiles(rawLatencies);
    const S = percentiles(serial);
    const apiPerSec = (n / apiRun.ms) * 1000;
    const rawPerSec = (n / rawRun.ms) * 1000;
    console.log(`${CLIENTS} concurrent clients × ${ORDERS_PER_CLIENT} orders, each: member, 3 lines (${quote.totalFen} fen), ${POINTS} points + ${quote.dueFen} fen stored value`);
    console.log(`API    ${apiPerSec.toFixed(1)} orders/s | p50 ${fmt(A.p50)} p99 ${fmt(A.p99)} | refused ${other.length}${other.length ? ` (${[...new Set(other)].join(', ')})` : ''} | reconcile ok ${reconcile.ok}`);
    console.log(`raw pg ${rawPerSec.toFixed(1)} orders/s | p50 ${fmt(R.p50)} p99 ${fmt(R.p99)}`);
    console.log(`uncontended API (one at a time, 50 orders): p50 ${fmt(S.p50)} p99 ${fmt(S.p99)}`);
    console.log(`ratio API/raw throughput ×${(apiPerSec / rawPerSec).toFixed(3)} | p50 ×${(A.p50 / R.p50).toFixed(1)} p99 ×${(A.p99 / R.p99).toFixed(1)}`);
    if (!reconcile.ok) console.log(`reconcile: ${JSON.stringify(reconcile.checks.filter((c) => c.violations))}`);
    return { clients: CLIENTS, orders: n, api: { perSec: apiPerSec, ...A }, raw: { perSec: rawPerSec, ...R }, reconcileOk: reconcile.ok };
  } finally {
    await sys.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) run().then(() => process.exit(0), (e) => (console.error(e), process.exit(1)));
