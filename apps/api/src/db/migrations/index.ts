import { Foundation1795432629578 } from './1795432629578-foundation';
import { MembersLedger1795433556527 } from './1795433556527-members-ledger';
import { MemberPayPassword1795433761145 } from './1795433761145-member-pay-password';
import { Tiers1795434058092 } from './1795434058092-tiers';
import { MemberImportMerge1795434112494 } from './1795434112494-member-import-merge';
import { PointsMall1795434141902 } from './1795434141902-points-mall';
import { Wallet1795434313337 } from './1795434313337-wallet';
import { JobRuns1795434382514 } from './1795434382514-job-runs';
import { Cards1795434383070 } from './1795434383070-cards';
import { CountCards1795434870599 } from './1795434870599-count-cards';
import { CountCardStoredValue1795436118081 } from './1795436118081-count-card-stored-value';
import { CountCardBonus1795437076358 } from './1795437076358-count-card-bonus';
import { Catalog1795440210000 } from './1795440210000-catalog';
import { Shifts1795440415225 } from './1795440415225-shifts';
import { Wechat1795443252172 } from './1795443252172-wechat';
import { CouponsPromotionsPricing1795441260369 } from './1795441260369-coupons-promotions-pricing';
import { Backup1795442574565 } from './1795442574565-backup';
import { Notifications1795443523033 } from './1795443523033-notifications';
import { StaffWork1795444026708 } from './1795444026708-staff-work';
import { Orders1795445380449 } from './1795445380449-orders';
import { Inventory1795445550625 } from './1795445550625-inventory';

/** Checked-in migrations in order. Never edit a landed one; add a new file. */
export const MIGRATIONS: Function[] = [
  Foundation1795432629578,
  MembersLedger1795433556527,
  MemberPayPassword1795433761145,
  Tiers1795434058092,
  MemberImportMerge1795434112494,
  PointsMall1795434141902,
  Wallet1795434313337,
  JobRuns1795434382514,
  Cards1795434383070,
  CountCards1795434870599,
  CountCardStoredValue1795436118081,
  CountCardBonus1795437076358,
  Catalog1795440210000,
  Shifts1795440415225,
  CouponsPromotionsPricing1795441260369,
  Backup1795442574565,
  Wechat1795443252172,
  Notifications1795443523033,
  StaffWork1795444026708,
  Orders1795445380449,
  Inventory1795445550625,
];
