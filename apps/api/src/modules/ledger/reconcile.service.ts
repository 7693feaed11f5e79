import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface ReconcileCheck {
  name: string;
  description: string;
  /** How many rows break the invariant (0 = holds). */
  violations: number;
  /** Up to 20 offending rows, for a person to look at. */
  samples: Record<string, unknown>[];
}

/**
 * The ledger invariants, each written once as SQL returning the rows that break it. Run by the
 * tests after every scenario, by GET /api/reconcile and by `node apps/api/dist/cli.js reconcile`.
 * Later capabilities (stock, payments = order total) add their checks to this list.
 */
export const RECONCILE_CHECKS: { name: string; description: string; sql: string }[] = [
  {
    name: 'balance_equals_entries',
    description: "Every account's balance equals the sum of its ledger entries",
    sql: `SELECT a.id AS account_id, a.kind, a.balance, COALESCE(sum(e.amount), 0) AS entries_sum
            FROM account a LEFT JOIN ledger_entry e ON e.account_id = a.id
           GROUP BY a.id HAVING a.balance <> COALESCE(sum(e.amount), 0)`,
  },
  {
    name: 'no_negative_balance',
    description: 'No balance, and no balance after any entry, is below zero',
    sql: `SELECT id AS account_id, kind, balance FROM account WHERE balance < 0
          UNION ALL SELECT account_id, kind, balance_after FROM ledger_entry WHERE balance_after < 0`,
  },
  {
    name: 'running_balance_consistent',
    description: "Each entry's balance_after equals the running sum of its account's entries",
    sql: `SELECT id AS entry_id, account_id, balance_after, running FROM (
            SELECT id, account_id, balance_after, sum(amount) OVER (PARTITION BY account_id ORDER BY id) AS running FROM ledger_entry
          ) x WHERE balance_after <> running`,
  },
  {
    name: 'entries_reference_operation',
    description: 'Every entry names the operation that made it',
    sql: `SELECT id AS entry_id FROM ledger_entry WHERE ref_type = '' OR ref_id = '' OR operation_id IS NULL`,
  },
  {
    name: 'entry_member_matches_account',
    description: "Every entry's member and kind are its account's",
    sql: `SELECT e.id AS entry_id FROM ledger_entry e JOIN account a ON a.id = e.account_id WHERE e.member_id <> a.member_id OR e.kind <> a.kind`,
  },
  {
    name: 'point_lots_equal_balance',
    description: "Every member's points lots (by earning year, for expiry) hold exactly the points balance",
    sql: `SELECT COALESCE(a.member_id, l.member_id) AS member_id, a.balance, l.remaining
            FROM (SELECT member_id, balance FROM account WHERE kind = 'points') a
            FULL JOIN (SELECT member_id, sum(remaining) AS remaining FROM point_lot GROUP BY member_id) l ON l.member_id = a.member_id
           WHERE COALESCE(a.balance, 0) <> COALESCE(l.remaining, 0)`,
  },
  {
    name: 'point_lot_equals_moves',
    description: "Every points lot's remaining equals the sum of its moves",
    sql: `SELECT l.id AS lot_id, l.remaining, COALESCE(sum(mv.amount), 0) AS moves_sum
            FROM point_lot l LEFT JOIN point_lot_move mv ON mv.lot_id = l.id
           GROUP BY l.id HAVING l.remaining <> COALESCE(sum(mv.amount), 0)`,
  },
  {
    name: 'gift_stock_equals_movements',
    description: "Every gift's stock at a store equals the sum of its stock movements",
    sql: `SELECT s.gift_id, s.store_id, s.quantity, COALESCE(sum(mv.delta), 0) AS movements_sum
            FROM gift_stock s LEFT JOIN gift_stock_movement mv ON mv.gift_id = s.gift_id AND mv.store_id = s.store_id
           GROUP BY s.gift_id, s.store_id HAVING s.quantity <> COALESCE(sum(mv.delta), 0)`,
  },  {
    name: 'stock_equals_movements',
    description: "Every SKU's stock at a store equals the sum of its stock movements",
    sql: `SELECT COALESCE(s.store_id, mv.store_id) AS store_id, COALESCE(s.sku_id, mv.sku_id) AS sku_id, s.quantity, mv.movements_sum
            FROM stock s
            FULL JOIN (SELECT store_id, sku_id, sum(delta) AS movements_sum FROM stock_movement GROUP BY store_id, sku_id) mv
              ON mv.store_id = s.store_id AND mv.sku_id = s.sku_id
           WHERE COALESCE(s.quantity, 0) <> COALESCE(mv.movements_sum, 0)`,
  },
  {
    name: 'no_negative_stock_unless_allowed',
    description: 'No stock is below zero unless the chain allows negative stock',
    sql: `SELECT s.store_id, s.sku_id, s.quantity FROM stock s
           WHERE s.quantity < 0 AND NOT COALESCE((SELECT allow_negative_stock FROM catalog_settings WHERE id = 1), false)`,
  },
  {
    name: 'stock_running_quantity_consistent',
    description: "Each stock movement's quantity_after equals the running sum of its SKU's movements at the store",
    sql: `SELECT id AS movement_id, store_id, sku_id, quantity_after, running FROM (
            SELECT id, store_id, sku_id, quantity_after, sum(delta) OVER (PARTITION BY store_id, sku_id ORDER BY id) AS running FROM stock_movement
          ) x WHERE quantity_after <> running`,
  },
  {
    name: 'shift_close_matches_takings',
    description: "Every closed shift's expected cash is its float + net cash takings + cash in − cash out, and its difference is counted − expected",
    sql: `SELECT s.id AS shift_id, s.expected_cash_fen, s.float_fen + COALESCE(t.cash, 0) + COALESCE(mv.net, 0) AS recomputed, s.counted_cash_fen, s.difference_fen
            FROM shift s
            LEFT JOIN (SELECT shift_id, sum(amount_fen) AS cash FROM shift_taking WHERE method = 'cash' GROUP BY shift_id) t ON t.shift_id = s.id
            LEFT JOIN (SELECT shift_id, sum(CASE kind WHEN 'cash_in' THEN amount_fen ELSE -amount_fen END) AS net FROM shift_cash_movement GROUP BY shift_id) mv ON mv.shift_id = s.id
           WHERE s.status = 'closed'
             AND (s.expected_cash_fen <> s.float_fen + COALESCE(t.cash, 0) + COALESCE(mv.net, 0) OR s.difference_fen <> s.counted_cash_fen - s.expected_cash_fen)`,
  },
  {
    name: 'shift_rows_inside_shift',
    description: "Every taking and cash movement is of its shift's store and was written while the shift was open",
    sql: `SELECT x.id, x.shift_id, x.store_id, x.created_at, s.store_id AS shift_store_id, s.opened_at, s.closed_at
            FROM (SELECT id, shift_id, store_id, created_at FROM shift_taking UNION ALL SELECT id, shift_id, store_id, created_at FROM shift_cash_movement) x
            JOIN shift s ON s.id = x.shift_id
           WHERE x.store_id <> s.store_id OR x.created_at < s.opened_at OR (s.closed_at IS NOT NULL AND x.created_at > s.closed_at)`,
  },
  {
    name: 'wechat_paid_top_up_credited',
    description: 'Every WeChat Pay top-up WeChat settled is credited once: a wechat top-up with its transaction id and amount',
    sql: `SELECT o.id, o.out_trade_no, o.transaction_id, o.amount_fen, t.id AS top_up_id, t.amount_fen AS top_up_fen
            FROM wechat_pay_order o
            LEFT JOIN wallet_top_up t ON t.payment_method = 'wechat' AND t.payment_ref = o.transaction_id
           WHERE o.purpose = 'top_up' AND o.status = 'paid'
             AND (t.id IS NULL OR t.amount_fen <> o.amount_fen OR o.top_up_id IS DISTINCT FROM t.id)`,
  },
  {
    name: 'wechat_refunds_within_payment',
    description: 'WeChat refunds that went through never exceed what the payment took',
    sql: `SELECT o.id, o.amount_fen, sum(r.amount_fen) AS refunded
            FROM wechat_pay_order o JOIN wechat_refund r ON r.pay_order_id = o.id AND r.status = 'succeeded'
           GROUP BY o.id HAVING sum(r.amount_fen) > o.amount_fen OR sum(r.amount_fen) > o.refunded_fen`,
  },
  {
    name: 'coupon_template_issued_equals_coupons',
    description: "Every coupon template's issued count equals the coupons issued from it (so the total quantity is never passed)",
    sql: `SELECT t.id AS template_id, t.issued_count, count(c.id) AS coupons
            FROM coupon_template t LEFT JOIN coupon c ON c.template_id = t.id
           GROUP BY t.id HAVING t.issued_count <> count(c.id)`,
  },
  {
    name: 'flash_sale_sold_equals_takes',
    description: "Every flash sale's units sold equal what orders' takes still hold (taken less given back by refunds)",
    sql: `SELECT p.id AS promotion_id, p.flash_sold, COALESCE(sum(t.quantity - t.released_quantity), 0) AS held
            FROM promotion p LEFT JOIN flash_sale_take t ON t.promotion_id = p.id
           WHERE p.kind = 'flash_sale'
           GROUP BY p.id HAVING p.flash_sold <> COALESCE(sum(t.quantity - t.released_quantity), 0)`,
  },
  {
    name: 'flash_sale_member_equals_takes',
    description: "Every member's count of a flash sale (checked against its limit) equals what that member's takes still hold",
    sql: `SELECT COALESCE(fm.promotion_id, t.promotion_id) AS promotion_id, COALESCE(fm.member_id, t.member_id) AS member_id, fm.quantity, t.held
            FROM flash_sale_member fm
            FULL JOIN (SELECT promotion_id, member_id, sum(quantity - released_quantity) AS held FROM flash_sale_take WHERE member_id IS NOT NULL GROUP BY promotion_id, member_id) t
              ON t.promotion_id = fm.promotion_id AND t.member_id = fm.member_id
           WHERE COALESCE(fm.quantity, 0) <> COALESCE(t.held, 0)`,
  },
  {
    name: 'booking_deposit_matches_wallet',
    description: "Every booking deposit is its stored-value spend: held or kept while the spend stands, returned once it is reversed",
    sql: `SELECT b.id AS booking_id, b.deposit_fen, b.deposit_status, s.amount_fen, s.status AS spend_status, s.ref_type, s.ref_id
            FROM booking b LEFT JOIN wallet_spend s ON s.id = b.deposit_spend_id
           WHERE b.deposit_fen > 0
             AND (s.id IS NULL OR s.amount_fen <> b.deposit_fen OR s.ref_type <> 'booking_deposit' OR s.ref_id <> b.id::text
                  OR (b.deposit_status IN ('held', 'forfeited') AND s.status <> 'completed')
                  OR (b.deposit_status = 'returned' AND s.status <> 'reversed'))`,
  },
  {
    name: 'commission_reversals_within_accruals',
    description: 'Refunds never take back more commission, sales or units than were accrued, and each reversal is of its accrual’s staff, store and item',
    sql: `SELECT a.id AS accrual_id, a.amount_fen, a.base_fen, a.quantity, sum(r.amount_fen) AS reversed_fen, sum(r.base_fen) AS reversed_base, sum(r.quantity) AS reversed_quantity
            FROM commission_entry a JOIN commission_entry r ON r.accrual_id = a.id
           WHERE a.kind = 'accrual'
           GROUP BY a.id
          HAVING a.amount_fen + sum(r.amount_fen) < 0 OR a.base_fen + sum(r.base_fen) < 0 OR a.quantity + sum(r.quantity) < 0
              OR bool_or(r.staff_id <> a.staff_id OR r.store_id <> a.store_id OR r.item_ref <> a.item_ref OR r.ref_type <> a.ref_type)`,
  },
  {
    name: 'closed_payroll_matches_commission',
    description: "Every payslip of a closed month holds exactly the commission booked into that month for its staff member",
    sql: `SELECT p.month, p.staff_id, p.commission_fen, COALESCE(e.total, 0) AS entries_fen
            FROM payslip p JOIN payroll_month pm ON pm.month = p.month AND pm.status = 'closed'
            LEFT JOIN (SELECT period, staff_id, sum(amount_fen) AS total FROM commission_entry GROUP BY period, staff_id) e ON e.period = p.month AND e.staff_id = p.staff_id
           WHERE p.commission_fen <> COALESCE(e.total, 0)
          UNION ALL
          SELECT e.period, e.staff_id, NULL, sum(e.amount_fen) FROM commission_entry e JOIN payroll_month pm ON pm.month = e.period AND pm.status = 'closed'
           WHERE NOT EXISTS (SELECT 1 FROM payslip p WHERE p.month = e.period AND p.staff_id = e.staff_id)
           GROUP BY e.period, e.staff_id HAVING sum(e.amount_fen) <> 0`,
  },
  {
    name: 'queue_numbers_match_counter',
    description: "Each store's queue numbers of a day run 1 … the day's counter, without gaps or repeats",
    sql: `SELECT COALESCE(c.store_id, t.store_id) AS store_id, COALESCE(c.business_day, t.business_day) AS business_day, c.last_number, t.n, t.max_number
            FROM queue_counter c
            FULL JOIN (SELECT store_id, business_day, count(*) AS n, max(number) AS max_number FROM queue_ticket GROUP BY store_id, business_day) t
              ON t.store_id = c.store_id AND t.business_day = c.business_day
           WHERE c.last_number IS DISTINCT FROM t.n OR c.last_number IS DISTINCT FROM t.max_number`,
  },
  {
    name: 'notification_lease_only_while_sending',
    description: 'A notification holds a worker lease exactly while it is being sent, and an in-flight mark only while unfinished',
    sql: `SELECT id, status FROM notification_message
           WHERE (status = 'sending') <> (lease_token IS NOT NULL AND lease_until IS NOT NULL)
              OR (inflight_channel IS NOT NULL AND status NOT IN ('pending', 'sending'))`,
  },
  {
    name: 'notification_sent_recorded',
    description: 'Every sent notification names its channel, provider and time, and has a sent or recovered delivery in its history',
    sql: `SELECT msg.id FROM notification_message msg
           WHERE msg.status = 'sent'
             AND (msg.channel IS NULL OR msg.provider IS NULL OR msg.sent_at IS NULL
                  OR NOT EXISTS (SELECT 1 FROM notification_attempt a WHERE a.message_id = msg.id AND a.outcome IN ('sent', 'recovered')))`,
  },
  {
    name: 'order_payments_equal_total',
    description: 'A paid order’s completed payments (points offset, count cards and money) sum to its total',
    sql: `SELECT o.id AS order_id, o.total_fen, COALESCE(sum(p.amount_fen) FILTER (WHERE p.status = 'completed'), 0) AS payments_sum
            FROM sales_order o LEFT JOIN order_payment p ON p.order_id = o.id
           WHERE o.status IN ('completed', 'partially_refunded', 'refunded')
           GROUP BY o.id HAVING o.total_fen <> COALESCE(sum(p.amount_fen) FILTER (WHERE p.status = 'completed'), 0)`,
  },
  {
    name: 'order_lines_sum_to_total',
    description: 'An order’s lines sum to its total, and its refunded lines to its refunded amount',
    sql: `SELECT o.id AS order_id, o.total_fen, o.refunded_fen, COALESCE(sum(l.total_fen), 0) AS lines_sum, COALESCE(sum(l.refunded_fen), 0) AS lines_refunded
            FROM sales_order o LEFT JOIN order_line l ON l.order_id = o.id
           GROUP BY o.id HAVING o.total_fen <> COALESCE(sum(l.total_fen), 0) OR o.refunded_fen <> COALESCE(sum(l.refunded_fen), 0)`,
  },
  {
    name: 'order_refunds_within_payments',
    description: 'Refunds never exceed what was paid: per order (refunds = refunded ≤ total) and per payment (refunded ≤ amount)',
    sql: `SELECT 'order' AS level, o.id, o.total_fen AS paid_fen, o.refunded_fen, COALESCE(r.sum, 0) AS refunds_sum
            FROM sales_order o LEFT JOIN (SELECT order_id, sum(amount_fen) AS sum FROM order_refund GROUP BY order_id) r ON r.order_id = o.id
           WHERE o.refunded_fen <> COALESCE(r.sum, 0) OR COALESCE(r.sum, 0) > o.total_fen
          UNION ALL
          SELECT 'payment', p.id, p.amount_fen, p.refunded_fen, COALESCE(rp.sum, 0)
            FROM order_payment p LEFT JOIN (SELECT order_payment_id, sum(amount_fen) AS sum FROM order_refund_payment GROUP BY order_payment_id) rp ON rp.order_payment_id = p.id
           WHERE p.refunded_fen <> COALESCE(rp.sum, 0) OR COALESCE(rp.sum, 0) > p.amount_fen`,
  },
  {
    name: 'order_stored_value_matches_wallet',
    description: 'A stored-value payment is its wallet spend: same amount, and what was refunded (or cancelled) is what the spend reversed',
    sql: `SELECT p.id AS payment_id, p.amount_fen, p.refunded_fen, ws.amount_fen AS spend_fen, ws.reversed_principal_fen + ws.reversed_bonus_fen AS reversed_fen
            FROM order_payment p JOIN sales_order o ON o.id = p.order_id LEFT JOIN wallet_spend ws ON ws.id = p.wallet_spend_id
           WHERE p.method = 'stored_value'
             AND (ws.id IS NULL OR ws.amount_fen <> p.amount_fen
                  OR ws.reversed_principal_fen + ws.reversed_bonus_fen <> CASE WHEN o.status = 'cancelled' THEN p.amount_fen ELSE p.refunded_fen END)`,
  },
  {
    name: 'stock_cost_follows_movements',
    description: "Every stock row's moving-average cost is the one its last movement left",
    sql: `SELECT s.store_id, s.sku_id, s.avg_cost_fen, mv.avg_cost_after_fen FROM stock s
            JOIN LATERAL (SELECT avg_cost_after_fen FROM stock_movement WHERE store_id = s.store_id AND sku_id = s.sku_id ORDER BY id DESC LIMIT 1) mv ON true
           WHERE mv.avg_cost_after_fen IS NOT NULL AND s.avg_cost_fen IS DISTINCT FROM mv.avg_cost_after_fen`,
  },
  {
    name: 'purchase_lines_match_documents',
    description: "Each purchase order line's received and returned quantities equal the sums of its receipts and returns",
    sql: `SELECT l.purchase_order_id, l.sku_id, l.received_quantity, COALESCE(r.n, 0) AS receipts, l.returned_quantity, COALESCE(t.n, 0) AS returns
            FROM purchase_order_line l
            LEFT JOIN (SELECT r.purchase_order_id, rl.sku_id, sum(rl.quantity) AS n FROM purchase_receipt r JOIN purchase_receipt_line rl ON rl.receipt_id = r.id GROUP BY 1, 2) r
              ON r.purchase_order_id = l.purchase_order_id AND r.sku_id = l.sku_id
            LEFT JOIN (SELECT t.purchase_order_id, tl.sku_id, sum(tl.quantity) AS n FROM purchase_return t JOIN purchase_return_line tl ON tl.return_id = t.id GROUP BY 1, 2) t
              ON t.purchase_order_id = l.purchase_order_id AND t.sku_id = l.sku_id
           WHERE l.received_quantity <> COALESCE(r.n, 0) OR l.returned_quantity <> COALESCE(t.n, 0)`,
  },
  {
    name: 'purchase_documents_match_movements',
    description: 'Every purchase receipt and return line moved exactly its quantity of stock at its store (and nothing else moved for them)',
    sql: `SELECT COALESCE(d.ref_type, mv.ref_type) AS ref_type, COALESCE(d.ref_id, mv.ref_id) AS ref_id, COALESCE(d.sku_id, mv.sku_id) AS sku_id, d.quantity, mv.moved
            FROM (SELECT 'purchase_receipt' AS ref_type, r.id::text AS ref_id, r.store_id, rl.sku_id, rl.quantity FROM purchase_receipt r JOIN purchase_receipt_line rl ON rl.receipt_id = r.id
                  UNION ALL
                  SELECT 'purchase_return', t.id::text, t.store_id, tl.sku_id, -tl.quantity FROM purchase_return t JOIN purchase_return_line tl ON tl.return_id = t.id) d
            FULL JOIN (SELECT ref_type, ref_id, store_id, sku_id, sum(delta) AS moved FROM stock_movement
                        WHERE ref_type IN ('purchase_receipt', 'purchase_return') GROUP BY 1, 2, 3, 4) mv
              ON mv.ref_type = d.ref_type AND mv.ref_id = d.ref_id AND mv.store_id = d.store_id AND mv.sku_id = d.sku_id
           WHERE COALESCE(d.quantity, 0) <> COALESCE(mv.moved, 0)`,
  },
  {
    name: 'transfers_match_movements',
    description: "Each transfer line left the sending store with exactly its shipped quantity and entered the receiving store with exactly its received quantity",
    sql: `SELECT COALESCE(d.ref_id, mv.ref_id) AS transfer_id, COALESCE(d.sku_id, mv.sku_id) AS sku_id, COALESCE(d.reason, mv.reason) AS reason, d.quantity, mv.moved
            FROM (SELECT t.id::text AS ref_id, t.from_store_id AS store_id, l.sku_id, 'transfer_out' AS reason, -COALESCE(l.shipped_quantity, 0) AS quantity
                    FROM transfer t JOIN transfer_line l ON l.transfer_id = t.id
                  UNION ALL
                  SELECT t.id::text, t.to_store_id, l.sku_id, 'transfer_in', COALESCE(l.received_quantity, 0)
                    FROM transfer t JOIN transfer_line l ON l.transfer_id = t.id) d
            FULL JOIN (SELECT ref_id, store_id, sku_id, reason, sum(delta) AS moved FROM stock_movement WHERE ref_type = 'transfer' GROUP BY 1, 2, 3, 4) mv
              ON mv.ref_id = d.ref_id AND mv.store_id = d.store_id AND mv.sku_id = d.sku_id AND mv.reason = d.reason
           WHERE COALESCE(d.quantity, 0) <> COALESCE(mv.moved, 0)`,
  },
  {
    name: 'transfer_in_transit_consistent',
    description: 'Shipped goods are in transit exactly while the transfer is, then received or recorded as a difference: never in two places, never lost',
    sql: `SELECT t.id AS transfer_id, t.status, l.sku_id, l.approved_quantity, l.shipped_quantity, l.received_quantity
            FROM transfer t JOIN transfer_line l ON l.transfer_id = t.id
           WHERE (l.shipped_quantity IS NOT NULL) <> (t.status IN ('in_transit', 'done'))
              OR (l.received_quantity IS NOT NULL) <> (t.status = 'done')
              OR (t.status IN ('approved', 'in_transit', 'done') AND l.approved_quantity IS NULL)
              OR l.received_quantity > l.shipped_quantity`,
  },
  {
    name: 'stock_io_matches_movements',
    description: 'Every posted other inbound/outbound moved exactly its lines, and no other did',
    sql: `SELECT COALESCE(d.ref_id, mv.ref_id) AS stock_io_id, COALESCE(d.sku_id, mv.sku_id) AS sku_id, d.quantity, mv.moved
            FROM (SELECT io.id::text AS ref_id, io.store_id, l.sku_id,
                         CASE WHEN io.status = 'posted' THEN (CASE io.direction WHEN 'in' THEN 1 ELSE -1 END) * l.quantity ELSE 0 END AS quantity
                    FROM stock_io io JOIN stock_io_line l ON l.stock_io_id = io.id) d
            FULL JOIN (SELECT ref_id, store_id, sku_id, sum(delta) AS moved FROM stock_movement WHERE ref_type = 'stock_io' GROUP BY 1, 2, 3) mv
              ON mv.ref_id = d.ref_id AND mv.store_id = d.store_id AND mv.sku_id = d.sku_id
           WHERE COALESCE(d.quantity, 0) <> COALESCE(mv.moved, 0)`,
  },
  {
    name: 'stocktake_matches_movements',
    description: 'Every posted stocktake line moved exactly its posted adjustment, and open or cancelled stocktakes moved nothing',
    sql: `SELECT COALESCE(d.ref_id, mv.ref_id) AS stocktake_id, COALESCE(d.sku_id, mv.sku_id) AS sku_id, d.quantity, mv.moved
            FROM (SELECT st.id::text AS ref_id, st.store_id, l.sku_id, CASE WHEN st.status = 'posted' THEN COALESCE(l.posted_delta, 0) ELSE 0 END AS quantity
                    FROM stocktake st JOIN stocktake_line l ON l.stocktake_id = st.id) d
            FULL JOIN (SELECT ref_id, store_id, sku_id, sum(delta) AS moved FROM stock_movement WHERE ref_type = 'stocktake' GROUP BY 1, 2, 3) mv
              ON mv.ref_id = d.ref_id AND mv.store_id = d.store_id AND mv.sku_id = d.sku_id
           WHERE COALESCE(d.quantity, 0) <> COALESCE(mv.moved, 0)`,
  },
  {
    name: 'gift_redemptions_match_stock_movements',
    description: 'A points-mall redemption of a gift that uses a catalog item took one unit from the stock ledger, and a cancelled one gave it back',
    sql: `SELECT COALESCE(r.id::text, mv.ref_id) AS redemption_id, r.status, COALESCE(r.sku_id, mv.sku_id) AS sku_id, mv.moved
            FROM (SELECT id, store_id, sku_id, status FROM mall_redemption WHERE sku_id IS NOT NULL) r
            FULL JOIN (SELECT ref_id, store_id, sku_id, sum(delta) AS moved FROM stock_movement WHERE ref_type = 'mall_redemption' GROUP BY 1, 2, 3) mv
              ON mv.ref_id = r.id::text AND mv.store_id = r.store_id AND mv.sku_id = r.sku_id
           WHERE COALESCE(mv.moved, 0) <> CASE WHEN r.id IS NULL OR r.status = 'cancelled' THEN 0 ELSE -1 END`,
  },
  {
    name: 'stock_alerts_follow_lines',
    description: 'A low-stock alert is open exactly while the stock is at or below its line',
    sql: `SELECT l.store_id, l.sku_id, l.min_quantity, COALESCE(s.quantity, 0) AS quantity, a.id AS open_alert_id
            FROM stock_alert_line l JOIN sku k ON k.id = l.sku_id AND k.track_stock
            LEFT JOIN stock s ON s.store_id = l.store_id AND s.sku_id = l.sku_id
            LEFT JOIN stock_alert a ON a.store_id = l.store_id AND a.sku_id = l.sku_id AND a.status = 'open'
           WHERE (COALESCE(s.quantity, 0) <= l.min_quantity) <> (a.id IS NOT NULL)
          UNION ALL
          SELECT a.store_id, a.sku_id, NULL, NULL, a.id FROM stock_alert a
           WHERE a.status = 'open' AND NOT EXISTS (SELECT 1 FROM stock_alert_line l WHERE l.store_id = a.store_id AND l.sku_id = a.sku_id)`,
  },
];

@Injectable()
export class ReconcileService {
  async run(m: EntityManager): Promise<{ ok: boolean; checkedAt: string; checks: ReconcileCheck[] }> {
    const checks: ReconcileCheck[] = [];
    for (const c of RECONCILE_CHECKS) {
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM (${c.sql}) v`);
      const samples = n > 0 ? await m.query(`SELECT * FROM (${c.sql}) v LIMIT 20`) : [];
      checks.push({ name: c.name, description: c.description, violations: n, samples });
    }
    return { ok: checks.every((c) => c.violations === 0), checkedAt: new Date().toISOString(), checks };
  }
}
