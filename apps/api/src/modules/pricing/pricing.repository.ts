import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PricingSettingsEntity } from './entities/pricing-settings.entity';

/** The only SQL of the pricing module. */
@Injectable()
export class PricingRepository {
  async settings(m: EntityManager): Promise<PricingSettingsEntity> {
    const found = await m.findOne(PricingSettingsEntity, { where: { id: 1 } });
    if (found) return found;
    // The migration seeds the row; recreate the defaults if someone removed it.
    await m.query('INSERT INTO pricing_settings (id) VALUES (1) ON CONFLICT DO NOTHING');
    return m.findOneOrFail(PricingSettingsEntity, { where: { id: 1 } });
  }

  saveSettings(m: EntityManager, s: PricingSettingsEntity): Promise<PricingSettingsEntity> {
    return m.save(PricingSettingsEntity, s);
  }

  async storeTimeZone(m: EntityManager, storeId: string): Promise<string | null> {
    const rows: { time_zone: string }[] = await m.query('SELECT time_zone FROM store WHERE id = $1', [storeId]);
    return rows[0]?.time_zone ?? null;
  }

  async missingStaff(m: EntityManager, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await m.query('SELECT id FROM staff WHERE id = ANY($1::uuid[])', [ids]);
    return ids.filter((id) => !rows.some((r) => r.id === id));
  }
}
