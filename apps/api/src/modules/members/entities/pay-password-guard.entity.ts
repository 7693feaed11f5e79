import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Wrong payment-password attempts of one member (支付密码错误计数). Written outside the caller's
 * transaction (the failed payment rolls back, the count must not), hence no foreign key: a lock the
 * caller holds on the member row can never block the write.
 */
@Entity('member_pay_password_guard')
export class PayPasswordGuardEntity {
  @PrimaryColumn({ type: 'uuid', name: 'member_id' }) memberId!: string;
  /** Wrong attempts since windowStartedAt. */
  @Column({ type: 'int' }) failures!: number;
  @Column({ type: 'timestamptz', name: 'window_started_at' }) windowStartedAt!: Date;
  /** Stored-value payment refused until then. */
  @Column({ type: 'timestamptz', name: 'locked_until', nullable: true }) lockedUntil!: Date | null;
}
