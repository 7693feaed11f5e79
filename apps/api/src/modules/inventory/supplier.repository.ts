import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InventorySettingsEntity, SupplierEntity, type SupplierStatus } from './entities/supplier.entity';

const likeEscape = (s: string) => s.replace(/[%_\\]/g, (c) => '\\' + c);

/** The only SQL over supplier, inventory_settings and the document-number sequence. */
@Injectable()
export class SupplierRepository {
  async list(m: EntityManager, f: { q?: string; status?: SupplierStatus }, offset: number, limit: number): Promise<[SupplierEntity[], number]> {
    const qb = m.getRepository(SupplierEntity).createQueryBuilder('s');
    if (f.status) qb.andWhere('s.status = :status', { status: f.status });
    if (f.q) qb.andWhere('(s.code ILIKE :q OR s.name ILIKE :q)', { q: `%${likeEscape(f.q.trim())}%` });
    return qb.orderBy('s.code').offset(offset).limit(limit).getManyAndCount();
  }

  find(m: EntityManager, id: string): Promise<SupplierEntity | null> {
    return m.getRepository(SupplierEntity).findOne({ where: { id } });
  }

  save(m: EntityManager, s: Partial<SupplierEntity>): Promise<SupplierEntity> {
    return m.getRepository(SupplierEntity).save(s);
  }

  async settings(m: EntityManager, lock = false): Promise<InventorySettingsEntity> {
    const qb = m.getRepository(InventorySettingsEntity).createQueryBuilder('s').where('s.id = 1');
    if (lock) qb.setLock('pessimistic_write');
    return (await qb.getOne())!;
  }

  saveSettings(m: EntityManager, s: InventorySettingsEntity): Promise<InventorySettingsEntity> {
    return m.getRepository(InventorySettingsEntity).save(s);
  }

  /** The next number of the chain-wide document sequence (a gap after a rollback is harmless). */
  async nextDocNo(m: EntityManager): Promise<number> {
    const [{ n }] = await m.query(`SELECT nextval('inventory_doc_no')::int AS n`);
    return n;
  }
}
