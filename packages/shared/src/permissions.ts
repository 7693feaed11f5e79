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
  'card.write': { zh: '发卡、挂失、解挂和补卡', en: 'Issue, report lost, unfreeze and replace cards' },
  'card.return': { zh: '退卡并退还储值本金', en: 'Return cards and refund the stored-value principal' },
  'card.settings': { zh: '设置退卡规则', en: 'Edit the card return rule' },
  'member.pay-password.reset': { zh: '重置会员支付密码', en: 'Reset a member’s payment password' },
  'reconcile.run': { zh: '运行账目核对', en: 'Run the ledger reconciliation' },
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
    permissions: ['store.read', 'staff.read', 'staff.write', 'role.read', 'audit.read', 'member.read', 'member.write', 'member.import', 'member.export', 'card.write', 'card.return'],
  },
  cashier: { name: '收银员', nameEn: 'Cashier', scope: 'store', permissions: ['store.read', 'member.read', 'member.write', 'card.write'] },
  technician: { name: '技师', nameEn: 'Technician', scope: 'store', permissions: ['store.read', 'member.read'] },
};
