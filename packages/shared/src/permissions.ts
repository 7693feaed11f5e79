/**
 * Permissions are data: roles hold a list of these codes, routes require one of them. A role's scope
 * decides which stores it reaches: `chain` (HQ: every store) or `store` (only the staff's stores).
 */
export const PERMISSIONS = {
  'store.read': { zh: '查看门店', en: 'View stores' },
  'store.write': { zh: '新建和编辑门店', en: 'Create and edit stores' },
  'staff.read': { zh: '查看员工', en: 'View staff' },
  'staff.write': { zh: '管理员工账号', en: 'Manage staff accounts' },
  'role.read': { zh: '查看角色', en: 'View roles' },
  'role.write': { zh: '管理角色和权限', en: 'Manage roles and permissions' },
  'audit.read': { zh: '查看操作日志', en: 'View the audit log' },
  'member.read': { zh: '查看会员', en: 'View members' },
  'member.write': { zh: '登记和编辑会员', en: 'Register and edit members' },
  'member.attribute.write': { zh: '管理会员自定义属性', en: 'Manage custom member attributes' },
  'member.import': { zh: '导入会员', en: 'Import members' },
  'member.export': { zh: '导出会员', en: 'Export members' },
  'member.merge': { zh: '合并重复会员', en: 'Merge duplicate members' },
  'member.delete': { zh: '注销会员并删除个人信息', en: 'Delete a member’s personal data' },
  'tier.read': { zh: '查看会员等级', en: 'View member tiers' },
  'tier.write': { zh: '管理会员等级规则', en: 'Manage member tiers and their rules' },
  'tier.change': { zh: '手动调整会员等级', en: 'Change a member’s tier by hand' },
  'tier.sell': { zh: '办理付费会员等级', en: 'Sell a paid tier to a member' },
  'count_card.read': { zh: '查看次卡和次卡模板', en: 'View count cards and their templates' },
  'count_card.template.write': { zh: '管理次卡模板', en: 'Manage count-card templates' },
  'count_card.sell': { zh: '售卖次卡', en: 'Sell count cards' },
  'count_card.redeem': { zh: '次卡核销和计时', en: 'Redeem count cards and run timers' },
  'count_card.reverse': { zh: '撤销次卡核销', en: 'Reverse count-card redemptions' },
  'card.write': { zh: '发卡、挂失、解挂和补卡', en: 'Issue, report lost, unfreeze and replace cards' },
  'card.return': { zh: '退卡并退还储值本金', en: 'Return cards and refund the stored-value principal' },
  'card.settings': { zh: '设置退卡规则', en: 'Edit the card return rule' },
  'member.pay-password.reset': { zh: '重置会员支付密码', en: 'Reset a member’s payment password' },
  'reconcile.run': { zh: '运行账目核对', en: 'Run the ledger reconciliation' },
  'wallet.read': { zh: '查看会员储值和充值记录', en: 'View stored value and top-ups' },
  'wallet.top_up': { zh: '会员充值', en: 'Top up stored value' },
  'wallet.spend': { zh: '储值消费', en: 'Spend stored value' },
  'wallet.refund': { zh: '充值退款和撤销储值消费', en: 'Refund top-ups and reverse stored-value spends' },
  'wallet.settings.write': { zh: '管理储值设置和充值赠送规则', en: 'Manage stored-value settings and top-up bonus rules' },
  'points.read': { zh: '查看会员积分', en: 'View member points' },
  'points.adjust': { zh: '手工调整会员积分', en: 'Adjust member points by hand' },
  'points.exchange': { zh: '积分兑换储值', en: 'Exchange points for stored value' },
  'points.settings.write': { zh: '设置积分规则', en: 'Set the points rules' },
  'mall.read': { zh: '查看积分商城礼品和兑换', en: 'View points-mall gifts and redemptions' },
  'mall.gift.write': { zh: '管理积分商城礼品', en: 'Manage points-mall gifts' },
  'mall.stock.write': { zh: '管理门店礼品库存', en: 'Manage a store’s gift stock' },
  'mall.redeem': { zh: '办理礼品兑换、核销和取消', en: 'Redeem, hand over and cancel gift redemptions' },
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, value);
}

export type RoleScope = 'chain' | 'store';

/** The roles every chain starts with; HQ may edit their permissions and add more. */
export const BUILT_IN_ROLES: Record<string, { name: string; nameEn: string; scope: RoleScope; permissions: Permission[] }> = {
  owner: { name: '老板/总部管理员', nameEn: 'Owner / HQ admin', scope: 'chain', permissions: ALL_PERMISSIONS },
  store_manager: {
    name: '店长',
    nameEn: 'Store manager',
    scope: 'store',
    permissions: [
      'store.read',
      'staff.read',
      'staff.write',
      'role.read',
      'audit.read',
      'member.read',
      'member.write',
      'member.import',
      'member.export',
      'tier.read',
      'tier.change',
      'tier.sell',
      'count_card.read',
      'count_card.sell',
      'count_card.redeem',
      'count_card.reverse',
      'wallet.read',
      'wallet.top_up',
      'wallet.spend',
      'wallet.refund',
      'points.read',
      'points.adjust',
      'points.exchange',
      'mall.read',
      'mall.stock.write',
      'mall.redeem',
      'card.write',
      'card.return',
    ],
  },
  cashier: {
    name: '收银员',
    nameEn: 'Cashier',
    scope: 'store',
    permissions: [
      'store.read',
      'member.read',
      'member.write',
      'tier.read',
      'tier.sell',
      'count_card.read',
      'count_card.sell',
      'count_card.redeem',
      'count_card.reverse',
      'wallet.read',
      'wallet.top_up',
      'wallet.spend',
      'wallet.refund',
      'points.read',
      'points.exchange',
      'mall.read',
      'mall.redeem',
      'card.write',
    ],
  },
  technician: {
    name: '技师',
    nameEn: 'Technician',
    scope: 'store',
    permissions: [
      'store.read',
      'member.read',
      'tier.read',
      'count_card.read',
      'count_card.redeem',
    ],
  },
};
