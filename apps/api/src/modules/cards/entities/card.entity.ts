import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MemberEntity } from '../../members/entities/member.entity';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

export const CARD_STATUSES = ['active', 'lost', 'replaced', 'returned'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

/**
 * A physical member card (实体会员卡). The card only identifies the member: balances, points and
 * count cards belong to the member, so a replacement card (补卡) simply points at the same member.
 * A member holds at most one card in use (active or lost): the partial unique index says so, and
 * settles two concurrent issues.
 */
@Entity('card')
@Check('card_status_check', `status IN ('active', 'lost', 'replaced', 'returned')`)
@Index('card_member_in_use_unique', ['memberId'], { unique: true, where: `status IN ('active', 'lost')` })
@Index('card_no_unique', ['cardNo'], { unique: true })
@Index(['memberId', 'createdAt'])
export class CardEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Printed on the card (and in its barcode); never reused, even after the card is closed. */
  @Column({ type: 'text', name: 'card_no' }) cardNo!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'text', default: 'active' }) status!: CardStatus;
  @Column({ type: 'uuid', name: 'issued_store_id' }) issuedStoreId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'issued_store_id' })
  issuedStore?: StoreEntity;
  @Column({ type: 'uuid', name: 'issued_by_staff_id', nullable: true }) issuedByStaffId!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'issued_by_staff_id' })
  issuedBy?: StaffEntity;
  /** The card this one replaced (补卡), if any. */
  @Column({ type: 'uuid', name: 'replaces_card_id', nullable: true }) replacesCardId!: string | null;
  @ManyToOne(() => CardEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'replaces_card_id' })
  replaces?: CardEntity;
  @Column({ type: 'timestamptz', name: 'lost_at', nullable: true }) lostAt!: Date | null;
  /** When the card was replaced or returned; a closed card never opens again. */
  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

export const CARD_EVENT_KINDS = ['issued', 'lost', 'unfrozen', 'replaced', 'returned'] as const;
export type CardEventKind = (typeof CARD_EVENT_KINDS)[number];

export const CARD_FEE_METHODS = ['cash', 'bank_card'] as const;
export type CardFeeMethod = (typeof CARD_FEE_METHODS)[number];

/** What happened to a card, when, where and by whom (卡片履历). Append-only (a trigger refuses changes). */
@Entity('card_event')
@Check('card_event_kind_check', `kind IN ('issued', 'lost', 'unfrozen', 'replaced', 'returned')`)
@Check('card_event_fee_non_negative', `fee_fen >= 0`)
@Index(['cardId', 'id'])
@Index(['storeId', 'createdAt'])
export class CardEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'uuid', name: 'card_id' }) cardId!: string;
  @ManyToOne(() => CardEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'card_id' })
  card?: CardEntity;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @Column({ type: 'text' }) kind!: CardEventKind;
  @Column({ type: 'uuid', name: 'store_id', nullable: true }) storeId!: string | null;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  /** The other card of a replacement: the new card on the old card's event, and the reverse. */
  @Column({ type: 'uuid', name: 'related_card_id', nullable: true }) relatedCardId!: string | null;
  /** Replacement fee (补卡工本费) collected by the store, outside the member's balances. */
  @Column({ type: 'bigint', name: 'fee_fen', default: 0 }) feeFen!: string;
  @Column({ type: 'text', name: 'fee_method', nullable: true }) feeMethod!: CardFeeMethod | null;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/**
 * A card return (退卡): the principal leaves the member's wallet, `refundFen` is paid out in cash
 * at `storeId`, `feeFen` stays with the chain, and the bonus is forfeited when the rule says so.
 * Its id is the ledger posting's refId. Append-only.
 */
@Entity('card_return')
@Check('card_return_amounts', `principal_fen >= 0 AND fee_fen >= 0 AND refund_fen >= 0 AND bonus_forfeited_fen >= 0 AND fee_fen + refund_fen = principal_fen`)
@Check('card_return_fee_bps_range', `fee_bps BETWEEN 0 AND 10000`)
@Index(['storeId', 'createdAt'])
@Index(['memberId'])
export class CardReturnEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'card_id', unique: true }) cardId!: string;
  @ManyToOne(() => CardEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'card_id' })
  card?: CardEntity;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'bigint', name: 'principal_fen' }) principalFen!: string;
  @Column({ type: 'int', name: 'fee_bps' }) feeBps!: number;
  @Column({ type: 'bigint', name: 'fee_fen' }) feeFen!: string;
  @Column({ type: 'bigint', name: 'refund_fen' }) refundFen!: string;
  @Column({ type: 'bigint', name: 'bonus_forfeited_fen' }) bonusForfeitedFen!: string;
  /** How refundFen left the till; only cash today (original-route refunds come with WeChat Pay). */
  @Column({ type: 'text', name: 'refund_method', default: 'cash' }) refundMethod!: 'cash';
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** The chain's card rule (退卡规则), one row, edited by HQ and audited. */
@Entity('card_settings')
@Check('card_settings_single_row', `id = 1`)
@Check('card_settings_fee_bps_range', `return_fee_bps BETWEEN 0 AND 10000`)
export class CardSettingsEntity {
  @PrimaryColumn({ type: 'int', default: 1 }) id!: number;
  /** Fee kept on a return, in basis points of the principal refunded (e.g. 500 = 5%). */
  @Column({ type: 'int', name: 'return_fee_bps', default: 0 }) returnFeeBps!: number;
  /** Whether the bonus balance (赠送金) is forfeited on return; the usual rule, so the default. */
  @Column({ type: 'boolean', name: 'return_forfeits_bonus', default: true }) returnForfeitsBonus!: boolean;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * Per-member key of the dynamic member code (会员动态码): `codeIndex` is the short number printed
 * in the code so the resolver finds the member by primary key; `uses` counts resolved codes and
 * is part of the MAC, so a member can show a fresh code right after one was used.
 */
@Entity('member_code_key')
export class MemberCodeKeyEntity {
  /**
   * No foreign key on purpose: a member merge re-points every foreign key to member, and two
   * members that both have a key would then collide on this primary key. The merged-away
   * member's key simply stays behind (it can no longer get a session to show a code).
   */
  @PrimaryColumn({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @Column({ type: 'bigint', name: 'code_index', unique: true }) codeIndex!: string;
  @Column({ type: 'bigint', default: 0 }) uses!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** Every resolved dynamic code; the unique key makes a code resolve exactly once, even under races. */
@Entity('member_code_use')
@Index('member_code_use_once', ['memberId', 'window', 'uses'], { unique: true })
export class MemberCodeUseEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'bigint' }) window!: string;
  @Column({ type: 'bigint' }) uses!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'resolved_at' }) resolvedAt!: Date;
}
