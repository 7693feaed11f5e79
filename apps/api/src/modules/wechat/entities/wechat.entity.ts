import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MemberEntity } from '../../members/entities/member.entity';
import { StoreEntity } from '../../stores/entities/store.entity';
import { fenColumn } from '../../wallet/entities/fen-column';

export const PAY_ORDER_PURPOSES = ['top_up', 'order'] as const;
export type PayOrderPurpose = (typeof PAY_ORDER_PURPOSES)[number];
export const PAY_ORDER_TRADE_TYPES = ['JSAPI', 'MICROPAY'] as const;
export type PayOrderTradeType = (typeof PAY_ORDER_TRADE_TYPES)[number];
/** pending: placed, not paid; user_paying: a payment code waits for the password; failed: refused by WeChat. */
export const PAY_ORDER_STATUSES = ['pending', 'user_paying', 'paid', 'closed', 'failed', 'reversed'] as const;
export type PayOrderStatus = (typeof PAY_ORDER_STATUSES)[number];
/** pending: not yet accepted by WeChat (sent again by the job); processing: accepted; then WeChat's outcome. */
export const PAY_REFUND_STATUSES = ['pending', 'processing', 'succeeded', 'abnormal', 'closed'] as const;
export type PayRefundStatus = (typeof PAY_REFUND_STATUSES)[number];

/** A member's WeChat identity (openid per mini-program AppID) for sign-in and JSAPI payment. */
@Entity('wechat_account')
@Index('wechat_account_openid_unique', ['appid', 'openid'], { unique: true })
@Index(['memberId'])
export class WechatAccountEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) appid!: string;
  @Column({ type: 'text' }) openid!: string;
  @Column({ type: 'text', nullable: true }) unionid!: string | null;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'last_login_at', default: () => 'now()' }) lastLoginAt!: Date;
}

/**
 * A WeChat Pay order (微信支付订单) we placed: a member's top-up or the WeChat part of a cashier's
 * order. Its status moves forward only by conditional updates, so a notification, the query job
 * and a close racing on it apply one outcome once.
 */
@Entity('wechat_pay_order')
@Index(['status', 'expiresAt'])
@Index(['memberId', 'createdAt'])
@Index(['paidAt'])
@Index('wechat_pay_order_payment_unique', ['orderPaymentId'], { unique: true, where: 'order_payment_id IS NOT NULL' })
@Check('wechat_pay_order_purpose_check', `purpose IN ('top_up', 'order')`)
@Check('wechat_pay_order_trade_type_check', `trade_type IN ('JSAPI', 'MICROPAY')`)
@Check('wechat_pay_order_status_check', `status IN ('pending', 'user_paying', 'paid', 'closed', 'failed', 'reversed')`)
@Check('wechat_pay_order_amount_check', `amount_fen > 0`)
@Check('wechat_pay_order_refunded_check', `refunded_fen >= 0 AND refunded_fen <= amount_fen`)
@Check('wechat_pay_order_paid_check', `status <> 'paid' OR (transaction_id IS NOT NULL AND paid_at IS NOT NULL)`)
export class WechatPayOrderEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Our number at WeChat (商户订单号): 6–32 of [0-9A-Za-z_-|*]. */
  @Column({ type: 'text', name: 'out_trade_no', unique: true }) outTradeNo!: string;
  @Column({ type: 'text' }) purpose!: PayOrderPurpose;
  @Column({ type: 'text', name: 'trade_type' }) tradeType!: PayOrderTradeType;
  @Column({ type: 'text', default: 'pending' }) status!: PayOrderStatus;
  @Column({ type: 'uuid', name: 'member_id', nullable: true }) memberId!: string | null;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  /** The store the money is collected for (a top-up's store; the order's store). */
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  @Column({ ...fenColumn, name: 'refunded_fen', default: 0 }) refundedFen!: number;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'text' }) appid!: string;
  @Column({ type: 'text' }) mchid!: string;
  @Column({ type: 'text', nullable: true }) openid!: string | null;
  @Column({ type: 'text', name: 'prepay_id', nullable: true }) prepayId!: string | null;
  /** WeChat's transaction id (微信支付订单号), once paid. */
  @Column({ type: 'text', name: 'transaction_id', nullable: true, unique: true }) transactionId!: string | null;
  /** The order payment (modules/orders) this pays; no foreign key: orders owns that table. */
  @Column({ type: 'uuid', name: 'order_payment_id', nullable: true }) orderPaymentId!: string | null;
  /** The top-up credited for this payment (modules/wallet). */
  @Column({ type: 'uuid', name: 'top_up_id', nullable: true }) topUpId!: string | null;
  /** The cashier who scanned a payment code, and his shift (the taking is recorded there when the payment completes). */
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @Column({ type: 'uuid', name: 'shift_id', nullable: true }) shiftId!: string | null;
  /** JSAPI: closed when still unpaid then; MICROPAY: reversed when the password never came. */
  @Column({ type: 'timestamptz', name: 'expires_at' }) expiresAt!: Date;
  @Column({ type: 'timestamptz', name: 'paid_at', nullable: true }) paidAt!: Date | null;
  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) failure!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** A refund through WeChat Pay (微信退款) of a paid order, completed by WeChat's notification. */
@Entity('wechat_refund')
@Index(['status'])
@Index(['payOrderId'])
@Check('wechat_refund_status_check', `status IN ('pending', 'processing', 'succeeded', 'abnormal', 'closed')`)
@Check('wechat_refund_amount_check', `amount_fen > 0`)
export class WechatRefundEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Our refund number (商户退款单号); sending it again answers the same refund. */
  @Column({ type: 'text', name: 'out_refund_no', unique: true }) outRefundNo!: string;
  @Column({ type: 'uuid', name: 'pay_order_id' }) payOrderId!: string;
  @ManyToOne(() => WechatPayOrderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'pay_order_id' })
  payOrder?: WechatPayOrderEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'text', default: 'pending' }) status!: PayRefundStatus;
  /** WeChat's refund id (微信退款单号). */
  @Column({ type: 'text', name: 'refund_id', nullable: true }) refundId!: string | null;
  /** What the refund gives back: a top-up, or a refund of an order (modules/orders' refund id). */
  @Column({ type: 'uuid', name: 'top_up_id', nullable: true }) topUpId!: string | null;
  @Column({ type: 'text', name: 'order_refund_ref', nullable: true }) orderRefundRef!: string | null;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ type: 'text', name: 'last_error', nullable: true }) lastError!: string | null;
  @Column({ type: 'text', name: 'user_received_account', nullable: true }) userReceivedAccount!: string | null;
  @Column({ type: 'uuid', name: 'requested_by', nullable: true }) requestedBy!: string | null;
  @Column({ type: 'timestamptz', name: 'succeeded_at', nullable: true }) succeededAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** Every verified notification WeChat delivered (by its id), with what we did about it. */
@Entity('wechat_notification')
@Index(['receivedAt'])
export class WechatNotificationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', name: 'notification_id', unique: true }) notificationId!: string;
  @Column({ type: 'text', name: 'event_type' }) eventType!: string;
  @Column({ type: 'text', name: 'out_trade_no', nullable: true }) outTradeNo!: string | null;
  @Column({ type: 'text', name: 'out_refund_no', nullable: true }) outRefundNo!: string | null;
  @Column({ type: 'text' }) outcome!: string;
  @Column({ type: 'int', default: 1 }) deliveries!: number;
  @Column({ type: 'timestamptz', name: 'received_at', default: () => 'now()' }) receivedAt!: Date;
}

export const RECONCILE_RESULTS = ['matched', 'missing_ours', 'missing_wechat', 'amount_mismatch'] as const;

/** One day's reconciliation (对账) of WeChat Pay's trade bill against our payments and refunds. */
@Entity('wechat_reconciliation')
@Check('wechat_reconciliation_status_check', `status IN ('done', 'no_bill', 'failed')`)
export class WechatReconciliationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** The Beijing day of the bill (WeChat's bills are per Beijing day). */
  @Column({ type: 'date', name: 'bill_date', unique: true }) billDate!: string;
  @Column({ type: 'text' }) status!: 'done' | 'no_bill' | 'failed';
  @Column({ type: 'int', default: 0 }) matched!: number;
  @Column({ type: 'int', name: 'missing_ours', default: 0 }) missingOurs!: number;
  @Column({ type: 'int', name: 'missing_wechat', default: 0 }) missingWechat!: number;
  @Column({ type: 'int', name: 'amount_mismatch', default: 0 }) amountMismatch!: number;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ type: 'uuid', name: 'run_by', nullable: true }) runBy!: string | null;
  @Column({ type: 'timestamptz', name: 'run_at', default: () => 'now()' }) runAt!: Date;
}

@Entity('wechat_reconciliation_item')
@Index(['reconciliationId'])
@Check('wechat_reconciliation_item_result_check', `result IN ('matched', 'missing_ours', 'missing_wechat', 'amount_mismatch')`)
@Check('wechat_reconciliation_item_kind_check', `kind IN ('payment', 'refund')`)
export class WechatReconciliationItemEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'reconciliation_id' }) reconciliationId!: string;
  @ManyToOne(() => WechatReconciliationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reconciliation_id' })
  reconciliation?: WechatReconciliationEntity;
  @Column({ type: 'text' }) kind!: 'payment' | 'refund';
  /** out_trade_no of a payment, out_refund_no of a refund. */
  @Column({ type: 'text' }) key!: string;
  @Column({ type: 'text' }) result!: (typeof RECONCILE_RESULTS)[number];
  @Column({ ...fenColumn, name: 'ours_fen', nullable: true }) oursFen!: number | null;
  @Column({ ...fenColumn, name: 'wechat_fen', nullable: true }) wechatFen!: number | null;
  @Column({ type: 'text', name: 'transaction_id', nullable: true }) transactionId!: string | null;
  @Column({ type: 'uuid', name: 'store_id', nullable: true }) storeId!: string | null;
}
