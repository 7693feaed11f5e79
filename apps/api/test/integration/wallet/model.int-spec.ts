import fc from 'fast-check';
import { AppError } from '../../../src/common/errors/app-error';
import { WalletService } from '../../../src/modules/wallet/wallet.service';
import { makeMember, makeStore, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { expectReconciled } from './wallet-helpers';

type Op =
  | { kind: 'topUp'; amountFen: number }
  | { kind: 'spend'; amountFen: number }
  | { kind: 'reverse'; index: number; amountFen: number | null }
  | { kind: 'refund'; index: number };

/** The wallet as a person would work it out on paper. */
interface Model {
  principal: number;
  bonus: number;
  topUps: { id: string; amount: number; bonus: number; refunded: boolean }[];
  spends: { id: string; leftP: number; leftB: number }[];
}

const ORDERS = ['bonus_first', 'principal_first', 'proportional'] as const;
const POLICIES = ['refuse', 'deduct_from_refund'] as const;

function modelSplit(amount: number, p: number, b: number, order: (typeof ORDERS)[number]): [number, number] {
  if (order === 'bonus_first') return [amount - Math.min(b, amount), Math.min(b, amount)];
  if (order === 'principal_first') return [Math.min(p, amount), amount - Math.min(p, amount)];
  const w = p + b;
  let sp = Math.floor((amount * p) / w);
  let sb = Math.floor((amount * b) / w);
  if (sp + sb < amount) {
    if ((amount * p) % w >= (amount * b) % w) sp++;
    else sb++;
  }
  return [sp, sb];
}

describe('wallet against a model', () => {
  let t: TestApp;
  let store: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    await t.http.post('/api/wallet/bonus-rules').set(owner.auth).send({ name: '充100送20', thresholdFen: 10000, bonusFen: 2000 }).expect(201);
  });
  afterAll(() => t.close());

  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('topUp' as const), amountFen: fc.constantFrom(5000, 10000, 23457) }),
    fc.record({ kind: fc.constant('spend' as const), amountFen: fc.integer({ min: 1, max: 15000 }) }),
    fc.record({ kind: fc.constant('reverse' as const), index: fc.nat(9), amountFen: fc.option(fc.integer({ min: 1, max: 4000 })) }),
    fc.record({ kind: fc.constant('refund' as const), index: fc.nat(9) }),
  );

  it('keeps balances, refusals and the ledger exactly as the model says over random sequences', async () => {
    const svc = t.app.get(WalletService);
    const run = <T>(fn: (m: import('typeorm').EntityManager) => Promise<T>) => svc['tx'].run(fn);
    const codeOf = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'ok';
      } catch (err) {
        if (err instanceof AppError) return err.code;
        throw err;
      }
    };

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ORDERS), fc.constantFrom(...POLICIES), fc.array(op, { minLength: 1, maxLength: 14 }), async (order, policy, ops) => {
        await t.ds.query('UPDATE wallet_settings SET consumption_order = $1, refund_policy = $2', [order, policy]);
        const member = await makeMember(t.ds, { homeStoreId: store.id });
        const model: Model = { principal: 0, bonus: 0, topUps: [], spends: [] };
        for (const o of ops) {
          if (o.kind === 'topUp') {
            const r = await run((m) => svc.topUp(m, { memberId: member.id, storeId: store.id, amountFen: o.amountFen, paymentMethod: 'cash' }));
            const bonus = o.amountFen >= 10000 ? 2000 : 0;
            model.principal += o.amountFen;
            model.bonus += bonus;
            model.topUps.push({ id: r.id, amount: o.amountFen, bonus, refunded: false });
          } else if (o.kind === 'spend') {
            let id = '';
            const code = await codeOf(
              run((m) => svc.spend(m, { memberId: member.id, storeId: store.id, amountFen: o.amountFen })).then((r) => {
                id = r.id;
                expect([r.principalFen, r.bonusFen]).toEqual(modelSplit(o.amountFen, model.principal, model.bonus, order));
              }),
            );
            if (o.amountFen > model.principal + model.bonus) expect(code).toBe('WALLET_INSUFFICIENT_BALANCE');
            else {
              expect(code).toBe('ok');
              const [p, b] = modelSplit(o.amountFen, model.principal, model.bonus, order);
              model.principal -= p;
              model.bonus -= b;
              model.spends.push({ id, leftP: p, leftB: b });
            }
          } else if (o.kind === 'reverse') {
            const s = model.spends[o.index % Math.max(1, model.spends.length)];
            if (!s) continue;
            const left = s.leftP + s.leftB;
            const amount = o.amountFen ?? left;
            const code = await codeOf(run((m) => svc.reverseSpend(m, s.id, { amountFen: o.amountFen ?? undefined })));
            if (left === 0) expect(code).toBe('WALLET_SPEND_ALREADY_REVERSED');
            else if (amount > left) expect(code).toBe('WALLET_SPEND_REVERSE_EXCEEDS');
            else {
              expect(code).toBe('ok');
              const [p, b] = amount === left ? [s.leftP, s.leftB] : modelSplit(amount, s.leftP, s.leftB, 'proportional');
              s.leftP -= p;
              s.leftB -= b;
              model.principal += p;
              model.bonus += b;
            }
          } else {
            const tu = model.topUps[o.index % Math.max(1, model.topUps.length)];
            if (!tu) continue;
            const code = await codeOf(run((m) => svc.refundTopUp(m, tu.id, { reason: 'model' })));
            const bonusBack = Math.min(tu.bonus, model.bonus);
            const shortfall = tu.bonus - bonusBack;
            const expected = tu.refunded
              ? 'WALLET_TOP_UP_ALREADY_REFUNDED'
              : model.principal < tu.amount
                ? 'WALLET_TOP_UP_PRINCIPAL_SPENT'
                : shortfall > 0 && (policy === 'refuse' || shortfall > tu.amount)
                  ? 'WALLET_TOP_UP_BONUS_SPENT'
                  : 'ok';
            expect(code).toBe(expected);
            if (expected === 'ok') {
              tu.refunded = true;
              model.principal -= tu.amount;
              model.bonus -= bonusBack;
            }
          }
          const b = await svc.balance(member.id);
          expect({ principal: b.principalFen, bonus: b.bonusFen }).toEqual({ principal: model.principal, bonus: model.bonus });
        }
      }),
      { numRuns: 25 },
    );
    await expectReconciled(t, owner.auth);
  });
});
