/**
 * Stable error codes, their HTTP status and user-facing messages (zh-CN first, English available).
 * The API answers every error as `{ "error": { "code", "message", "details" } }`; apps switch on `code`.
 * New capabilities add their codes here, grouped by domain, so that every app sees the same list.
 */
export interface ErrorDefinition {
  readonly status: number;
  readonly zh: string;
  readonly en: string;
}

const define = <T extends Record<string, ErrorDefinition>>(defs: T): T => defs;

export const COMMON_ERRORS = define({
  VALIDATION_FAILED: { status: 400, zh: '请求参数有误', en: 'Some fields are invalid' },
  MALFORMED_JSON: { status: 400, zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  FORBIDDEN: { status: 403, zh: '没有执行此操作的权限', en: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, zh: '资源不存在', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  CONFLICT: { status: 409, zh: '数据冲突，请刷新后重试', en: 'Conflicting change, refresh and retry' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests, try again later' },
  INTERNAL_ERROR: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂不可用', en: 'Service unavailable' },
});

export const IDEMPOTENCY_ERRORS = define({
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, zh: '此操作需要 Idempotency-Key 请求头', en: 'This request needs an Idempotency-Key header' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, zh: 'Idempotency-Key 格式无效', en: 'The Idempotency-Key is malformed' },
  IDEMPOTENCY_KEY_IN_FLIGHT: { status: 409, zh: '相同请求正在处理中，请稍后重试', en: 'The same request is still being processed' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, zh: 'Idempotency-Key 已用于另一个不同的请求', en: 'The Idempotency-Key was used for a different request' },
});

export const AUTH_ERRORS = define({
  AUTH_INVALID_CREDENTIALS: { status: 401, zh: '账号或密码错误', en: 'Wrong account or password' },
  AUTH_LOCKED: { status: 429, zh: '登录失败次数过多，请稍后再试', en: 'Too many failed sign-ins, try again later' },
  AUTH_TOKEN_INVALID: { status: 401, zh: '登录已失效，请重新登录', en: 'Your session has expired, sign in again' },
  AUTH_REFRESH_REUSED: { status: 401, zh: '登录凭证已被使用，请重新登录', en: 'This refresh token was already used; sign in again' },
  AUTH_PASSWORD_WEAK: { status: 400, zh: '密码至少 8 位，且须包含字母和数字', en: 'Passwords need at least 8 characters with letters and digits' },
});

export const STORE_ERRORS = define({
  STORE_NOT_FOUND: { status: 404, zh: '门店不存在', en: 'Store not found' },
  STORE_CODE_TAKEN: { status: 409, zh: '门店编码已存在', en: 'A store with this code exists' },
});

export const STAFF_ERRORS = define({
  STAFF_NOT_FOUND: { status: 404, zh: '员工不存在', en: 'Staff member not found' },
  STAFF_LOGIN_TAKEN: { status: 409, zh: '该手机号或用户名已被使用', en: 'This phone or username is taken' },
  STAFF_NEEDS_STORE: { status: 400, zh: '门店级角色的员工至少需要一个门店', en: 'Store-level staff need at least one store' },
  STAFF_CANNOT_DISABLE_SELF: { status: 400, zh: '不能停用自己的账号', en: 'You cannot disable your own account' },
  ROLE_NOT_FOUND: { status: 404, zh: '角色不存在', en: 'Role not found' },
  ROLE_CODE_TAKEN: { status: 409, zh: '角色编码已存在', en: 'A role with this code exists' },
  ROLE_IN_USE: { status: 409, zh: '角色仍有员工在使用', en: 'The role is still assigned to staff' },
  ROLE_BUILT_IN: { status: 400, zh: '内置角色不可删除', en: 'Built-in roles cannot be deleted' },
  ROLE_ESCALATION: { status: 403, zh: '不能授予自己没有的权限', en: 'You cannot grant permissions you do not have' },
});

export const MEMBER_ERRORS = define({
  MEMBER_NOT_FOUND: { status: 404, zh: '会员不存在', en: 'Member not found' },
  MEMBER_PHONE_TAKEN: { status: 409, zh: '该手机号已是会员', en: 'A member with this phone exists' },
  MEMBER_ID_CARD_TAKEN: { status: 409, zh: '该身份证号已登记', en: 'This ID-card number is already registered' },
  MEMBER_ATTRIBUTE_INVALID: { status: 400, zh: '自定义属性不符合定义', en: 'A custom attribute does not match its definition' },
  MEMBER_ATTRIBUTE_NOT_FOUND: { status: 404, zh: '自定义属性不存在', en: 'Custom attribute not found' },
  MEMBER_ATTRIBUTE_CODE_TAKEN: { status: 409, zh: '属性编码已存在', en: 'An attribute with this code exists' },
  MEMBER_REFERRER_INVALID: { status: 400, zh: '推荐人无效', en: 'The referrer is not valid' },
  MEMBER_NOT_ACTIVE: { status: 409, zh: '会员已冻结或已注销', en: 'The member is frozen or deleted' },
  MEMBER_PAY_PASSWORD_REQUIRED: { status: 400, zh: '请输入会员支付密码', en: 'The member payment password is required' },
  MEMBER_IMPORT_NOT_FOUND: { status: 404, zh: '导入任务不存在', en: 'Import not found' },
  MEMBER_IMPORT_FORMAT: { status: 415, zh: '请上传 CSV 或 Excel (xlsx) 文件', en: 'Upload a CSV or Excel (xlsx) file' },
  MEMBER_IMPORT_TOO_LARGE: { status: 413, zh: '导入文件过大', en: 'The import file is too large' },
  MEMBER_IMPORT_EMPTY: { status: 400, zh: '导入文件为空', en: 'The import file is empty' },
  MEMBER_MERGE_SAME: { status: 400, zh: '不能与自己合并', en: 'A member cannot be merged into himself' },
  MEMBER_MERGED: { status: 409, zh: '该会员已被合并', en: 'This member was merged into another' },
  MEMBER_MERGE_CONFLICT: {
    status: 409,
    zh: '两个会员都有不能并存的记录（如都有在用的会员卡），请先处理其中一个再合并',
    en: 'Both members hold something only one member may have (e.g. a card in use); resolve it before merging',
  },
  MEMBER_HAS_BALANCE: { status: 409, zh: '会员仍有余额，请先退款或确认放弃', en: 'The member still holds a balance; refund it or confirm forfeiting it' },
  MEMBER_PAY_PASSWORD_WRONG: { status: 400, zh: '会员支付密码错误', en: 'Wrong member payment password' },
});

/** Ledger failures; each account kind has its own "not enough" code so apps can say what is short. */
export const LEDGER_ERRORS = define({
  WALLET_INSUFFICIENT_BALANCE: { status: 409, zh: '储值余额不足', en: 'Not enough stored value' },
  POINTS_INSUFFICIENT: { status: 409, zh: '积分不足', en: 'Not enough points' },
  COUNT_CARD_NO_USES_LEFT: { status: 409, zh: '次卡剩余次数不足', en: 'No uses left on the count card' },
});

/** Member tiers (会员等级). */
export const TIER_ERRORS = define({
  TIER_NOT_FOUND: { status: 404, zh: '会员等级不存在', en: 'Tier not found' },
  TIER_LEVEL_TAKEN: { status: 409, zh: '该等级序号已被使用', en: 'Another tier has this level' },
  TIER_INITIAL_REQUIRED: { status: 409, zh: '必须保留一个初始等级，请先将其他等级设为初始等级', en: 'There must be one initial tier: make another tier initial first' },
  TIER_IN_USE: { status: 409, zh: '仍有会员处于该等级，不能删除', en: 'Members still hold this tier' },
  TIER_NOT_PURCHASABLE: { status: 409, zh: '该等级不可购买', en: 'This tier cannot be bought' },
  TIER_BELOW_CURRENT: { status: 409, zh: '不能购买低于当前等级的会员等级', en: 'The member already holds a higher tier' },
});

/** Count cards and time cards (计次卡 / 疗程卡 / 计时卡 / 包月卡). Running out of uses is LEDGER_ERRORS' COUNT_CARD_NO_USES_LEFT. */
export const COUNT_CARD_ERRORS = define({
  COUNT_CARD_TEMPLATE_NOT_FOUND: { status: 404, zh: '次卡模板不存在', en: 'Count-card template not found' },
  COUNT_CARD_TEMPLATE_OFF_SALE: { status: 409, zh: '该次卡已停售', en: 'This count card is off sale' },
  COUNT_CARD_TEMPLATE_NOT_SOLD_HERE: { status: 409, zh: '该次卡不在本店销售', en: 'This count card is not sold at this store' },
  COUNT_CARD_NOT_FOUND: { status: 404, zh: '次卡不存在', en: 'Count card not found' },
  COUNT_CARD_EXPIRED: { status: 409, zh: '次卡已过期', en: 'The count card has expired' },
  COUNT_CARD_REFUNDED: { status: 409, zh: '次卡已退卡', en: 'The count card was refunded' },
  COUNT_CARD_SERVICE_NOT_COVERED: { status: 409, zh: '该项目不在次卡适用范围内', en: 'The count card does not cover this service' },
  COUNT_CARD_DAILY_LIMIT_REACHED: { status: 409, zh: '今日使用次数已达上限', en: 'The card’s uses for today are used up' },
  COUNT_CARD_WRONG_KIND: { status: 409, zh: '此操作不适用于该类型的卡', en: 'This operation does not apply to this kind of card' },
  COUNT_CARD_TIMER_RUNNING: { status: 409, zh: '该卡已有正在计时的项目', en: 'A timer is already running on this card' },
  COUNT_CARD_TIMER_NOT_FOUND: { status: 404, zh: '计时记录不存在', en: 'Timer not found' },
  COUNT_CARD_TIMER_STOPPED: { status: 409, zh: '计时已结束', en: 'The timer has already stopped' },
  COUNT_CARD_REDEMPTION_NOT_FOUND: { status: 404, zh: '核销记录不存在', en: 'Redemption not found' },
  COUNT_CARD_REDEMPTION_REVERSED: { status: 409, zh: '该核销已撤销', en: 'The redemption was already reversed' },
  COUNT_CARD_NOT_MEMBERS: { status: 409, zh: '该次卡不属于此会员', en: 'The count card belongs to another member' },
  COUNT_CARD_REDEMPTION_NOT_REVERSIBLE_HERE: { status: 409, zh: '该核销属于订单，请通过订单退款撤销', en: 'This redemption belongs to an order; reverse it through the order refund' },
});

/** Stored value (储值): top-ups, bonus rules, spends and their reversal, top-up refunds. */
export const WALLET_ERRORS = define({
  WALLET_TOP_UP_NOT_FOUND: { status: 404, zh: '充值记录不存在', en: 'Top-up not found' },
  WALLET_SPEND_NOT_FOUND: { status: 404, zh: '储值消费记录不存在', en: 'Stored-value spend not found' },
  WALLET_BONUS_RULE_NOT_FOUND: { status: 404, zh: '充值赠送规则不存在', en: 'Top-up bonus rule not found' },
  WALLET_TOP_UP_AMOUNT_OUT_OF_RANGE: { status: 400, zh: '充值金额超出允许范围', en: 'The top-up amount is outside the allowed range' },
  WALLET_TOP_UP_ALREADY_REFUNDED: { status: 409, zh: '该笔充值已退款', en: 'This top-up was already refunded' },
  WALLET_TOP_UP_BONUS_SPENT: {
    status: 409,
    zh: '赠送金额已被使用，按当前退款规则不能退款',
    en: 'Part of the bonus was already spent; the refund policy does not allow this refund',
  },
  WALLET_TOP_UP_PRINCIPAL_SPENT: { status: 409, zh: '充值本金已被使用，不能全额退款', en: 'Part of the top-up principal was already spent' },
  WALLET_TOP_UP_POINTS_SPENT: { status: 409, zh: '充值赠送的积分已被使用，不能退款', en: 'The bonus points of this top-up were already used' },
  WALLET_TOP_UP_REFUND_NEEDS_WECHAT: { status: 409, zh: '微信支付的充值须原路退回微信', en: 'A WeChat Pay top-up is refunded through WeChat Pay' },
  WALLET_SPEND_ALREADY_REVERSED: { status: 409, zh: '该笔消费已撤销', en: 'This spend was already reversed' },
  WALLET_SPEND_REVERSE_EXCEEDS: { status: 409, zh: '撤销金额超过可撤销余额', en: 'The amount exceeds what is left to reverse' },
  WALLET_SPEND_NOT_REVERSIBLE_HERE: {
    status: 409,
    zh: '该笔消费属于订单，请通过订单退款撤销',
    en: 'This spend belongs to an order; reverse it through the order refund',
  },
});

/** Points (积分) and the points mall (积分商城). */
export const POINTS_ERRORS = define({
  POINTS_EXCHANGE_DISABLED: { status: 409, zh: '暂不支持积分兑换储值', en: 'Exchanging points for stored value is switched off' },
  POINTS_EXCHANGE_NOT_MULTIPLE: { status: 400, zh: '兑换积分须为兑换单位的整数倍', en: 'Points to exchange must be a whole multiple of the exchange unit' },
  POINTS_SETTINGS_INVALID: { status: 400, zh: '积分规则设置无效', en: 'The points settings are invalid' },
  MALL_GIFT_NOT_FOUND: { status: 404, zh: '礼品不存在', en: 'Gift not found' },
  MALL_GIFT_OFF_SALE: { status: 409, zh: '礼品已下架', en: 'The gift is not available' },
  MALL_GIFT_NEEDS_PAYMENT: { status: 409, zh: '该礼品需到店支付现金部分后兑换', en: 'This gift has a cash part: redeem it at the counter' },
  MALL_PAYMENT_METHOD_REQUIRED: { status: 400, zh: '请选择现金部分的支付方式', en: 'Choose how the cash part is paid' },
  MALL_STOCK_INSUFFICIENT: { status: 409, zh: '该门店礼品库存不足', en: 'Not enough stock of this gift at the store' },
  MALL_GIFT_STOCK_IN_INVENTORY: {
    status: 409,
    zh: '该礼品使用商品库存，请通过采购、调货或盘点管理',
    en: 'This gift uses a catalog item’s stock: manage it with purchases, transfers or stocktakes',
  },
  MALL_GIFT_HAS_OWN_STOCK: { status: 409, zh: '礼品仍有自有库存，请先清零再关联商品', en: 'The gift still holds stock of its own: set it to 0 before linking an item' },
  MALL_LIMIT_REACHED: { status: 409, zh: '已达到该礼品的每人兑换上限', en: 'You have reached the per-member limit for this gift' },
  MALL_REDEMPTION_NOT_FOUND: { status: 404, zh: '兑换记录不存在', en: 'Redemption not found' },
  MALL_REDEMPTION_NOT_PENDING: { status: 409, zh: '该兑换已领取或已取消', en: 'The redemption was already picked up or cancelled' },
  MALL_CANCEL_AT_COUNTER: { status: 409, zh: '含现金部分的兑换请到店取消并退回现金', en: 'A redemption with a cash part is cancelled at the counter, where the cash is returned' },
});

/** Member cards (会员卡), the member payment password (支付密码) and the dynamic member code (会员动态码). */
export const CARD_ERRORS = define({
  CARD_NOT_FOUND: { status: 404, zh: '会员卡不存在', en: 'Card not found' },
  CARD_NO_TAKEN: { status: 409, zh: '该卡号已被使用', en: 'This card number is already in use' },
  CARD_MEMBER_HAS_CARD: { status: 409, zh: '该会员已有一张在用的会员卡，请挂失补卡或先退卡', en: 'The member already holds a card in use; replace or return it first' },
  CARD_LOST: { status: 409, zh: '该卡已挂失，不能使用', en: 'This card was reported lost and cannot be used' },
  CARD_NOT_LOST: { status: 409, zh: '该卡未挂失，无需解挂', en: 'This card is not reported lost' },
  CARD_REPLACED: { status: 409, zh: '该卡已补卡换新，旧卡作废', en: 'This card was replaced by a new one and is void' },
  CARD_RETURNED: { status: 409, zh: '该卡已退卡', en: 'This card was returned and is closed' },
  MEMBER_PAY_PASSWORD_WEAK: { status: 400, zh: '支付密码须为 6 位数字，且不能是相同或连续的数字', en: 'The payment password must be 6 digits, not all alike or consecutive' },
  MEMBER_PAY_PASSWORD_LOCKED: { status: 429, zh: '支付密码错误次数过多，储值支付已锁定 15 分钟', en: 'Too many wrong payment passwords; stored-value payment is locked for 15 minutes' },
  MEMBER_CODE_INVALID: { status: 400, zh: '会员码无效', en: 'This member code is not valid' },
  MEMBER_CODE_EXPIRED: { status: 400, zh: '会员码已过期，请刷新后重新出示', en: 'This member code has expired; refresh it and show it again' },
  MEMBER_CODE_USED: { status: 409, zh: '会员码已被使用，请刷新后重新出示', en: 'This member code was already used; refresh it and show it again' },
});

export const BACKUP_ERRORS = define({
  BACKUP_NOT_FOUND: { status: 404, zh: '备份记录不存在', en: 'Backup not found' },
  BACKUP_FILE_MISSING: { status: 404, zh: '备份文件已不在备份目录或存储中（可能已按保留策略清理）', en: 'The backup file is no longer in the backup folder or storage (pruned by retention?)' },
  BACKUP_IN_PROGRESS: { status: 409, zh: '另一个备份正在进行，请稍后再试', en: 'Another backup is running; try again later' },
  BACKUP_FAILED: { status: 500, zh: '备份失败，已生成告警', en: 'The backup failed; an alert was raised' },
  BACKUP_NOT_A_BACKUP: { status: 400, zh: '这不是 ChainCard 备份文件', en: 'This is not a ChainCard backup file' },
  BACKUP_FORMAT_UNSUPPORTED: { status: 400, zh: '备份文件格式版本比当前程序新，请升级后再恢复', en: 'The backup file format is newer than this program; upgrade it first' },
  BACKUP_WRONG_KEY: { status: 400, zh: '备份密钥不正确（BACKUP_KEY 与生成该备份时的不同）', en: 'Wrong backup key: BACKUP_KEY differs from the key the backup was made with' },
  BACKUP_DAMAGED: { status: 400, zh: '备份文件已损坏或被篡改，拒绝恢复', en: 'The backup file is damaged or was tampered with; nothing was restored' },
  BACKUP_SCHEMA_NEWER: { status: 409, zh: '备份的数据库结构比当前程序新，请先升级程序再恢复', en: 'The backup has a newer database schema than this program; upgrade the program first' },
  BACKUP_SCHEMA_MISMATCH: { status: 409, zh: '备份的数据库结构与当前程序的迁移记录不一致', en: 'The backup’s database schema does not match this program’s migrations' },
  RESTORE_TARGET_NOT_EMPTY: { status: 409, zh: '只能恢复到空数据库：目标数据库中已有数据表', en: 'A backup is restored only into an empty database; the target already has tables' },
  RESTORE_VERIFY_FAILED: { status: 500, zh: '恢复后的行数或账目校验和与备份清单不符，已回滚', en: 'Row counts or ledger checksums after restoring differ from the manifest; rolled back' },
  SYSTEM_ALERT_NOT_FOUND: { status: 404, zh: '告警不存在', en: 'Alert not found' },
  CHAIN_EXPORT_DATASET_UNKNOWN: { status: 400, zh: '没有这个导出数据集', en: 'No such export dataset' },
});

/** Catalog (商品 / 服务项目 / 价格) and the per-store stock ledger (库存). */
export const CATALOG_ERRORS = define({
  CATALOG_CATEGORY_NOT_FOUND: { status: 404, zh: '商品分类不存在', en: 'Category not found' },
  CATALOG_CATEGORY_NAME_TAKEN: { status: 409, zh: '同一上级分类下已有同名分类', en: 'A category with this name exists under the same parent' },
  CATALOG_CATEGORY_CYCLE: { status: 409, zh: '不能把分类移到它自己或它的下级分类之下', en: 'A category cannot be moved under itself or one of its sub-categories' },
  CATALOG_PRODUCT_NOT_FOUND: { status: 404, zh: '商品或服务项目不存在', en: 'Product or service not found' },
  CATALOG_PRODUCT_CODE_TAKEN: { status: 409, zh: '该商品编码已被使用', en: 'This product code is already in use' },
  CATALOG_SKU_NOT_FOUND: { status: 404, zh: '商品规格不存在', en: 'SKU not found' },
  CATALOG_SKU_INACTIVE: { status: 409, zh: '商品已停售', en: 'This item is not on sale' },
  CATALOG_BARCODE_TAKEN: { status: 409, zh: '该条码已被在售商品使用', en: 'This barcode is already used by an item on sale' },
  CATALOG_STORE_PRICE_NOT_FOUND: { status: 404, zh: '本店未设置该商品的价格', en: 'The store has no price of its own for this item' },
  CATALOG_NEGATIVE_STOCK_EXISTS: {
    status: 409,
    zh: '仍有门店库存为负数，请先调整库存再关闭负库存销售',
    en: 'Some store stock is below zero; adjust it before switching negative stock off',
  },
  STOCK_INSUFFICIENT: { status: 409, zh: '门店库存不足', en: 'Not enough stock at the store' },
  STOCK_NOT_TRACKED: { status: 409, zh: '该商品不管理库存', en: 'Stock is not kept for this item' },
});

/** Shifts (交班): a cashier's drawer from open to close. */
export const SHIFT_ERRORS = define({
  SHIFT_NOT_OPEN: { status: 409, zh: '请先开班再收款', en: 'Open a shift before taking payments' },
  SHIFT_ALREADY_OPEN: { status: 409, zh: '您在本店已有未交班的班次', en: 'You already have an open shift at this store' },
  SHIFT_NOT_FOUND: { status: 404, zh: '班次不存在', en: 'Shift not found' },
  SHIFT_CLOSED: { status: 409, zh: '该班次已交班，不能再修改', en: 'The shift is closed and cannot change' },
  SHIFT_NOT_YOURS: { status: 403, zh: '只能操作自己的班次，交接他人班次需要店长权限', en: 'This is another staff member’s shift; handing it over needs a manager’s permission' },
  SHIFT_CASH_OUT_EXCEEDS_DRAWER: { status: 409, zh: '取出金额超过钱箱应有现金', en: 'The cash out is more than the drawer should hold' },
});

/** WeChat: mini-program sign-in and WeChat Pay (modules/wechat). */
export const WECHAT_ERRORS = define({
  WECHAT_NOT_CONFIGURED: { status: 503, zh: '未配置微信小程序或微信支付', en: 'WeChat is not configured on this server' },
  WECHAT_UNAVAILABLE: { status: 502, zh: '微信服务暂不可用，请稍后重试', en: 'WeChat is not answering; try again later' },
  WECHAT_LOGIN_FAILED: { status: 401, zh: '微信登录失败，请重新进入小程序', en: 'WeChat sign-in failed; open the mini-program again' },
  WECHAT_PHONE_CODE_INVALID: { status: 400, zh: '获取手机号失败，请重新授权', en: 'The phone number could not be read; authorise again' },
  WECHAT_SCENE_INVALID: { status: 400, zh: '门店二维码无效', en: 'This store QR code is not valid' },
  WECHAT_ACCOUNT_REQUIRED: { status: 409, zh: '请先使用微信登录会员小程序', en: 'Sign in to the member app with WeChat first' },
  WECHAT_PAY_ORDER_NOT_FOUND: { status: 404, zh: '微信支付订单不存在', en: 'WeChat Pay order not found' },
  WECHAT_PAY_ORDER_NOT_PENDING: { status: 409, zh: '该微信支付订单已结束', en: 'This WeChat Pay order is no longer waiting for payment' },
  WECHAT_PAY_FAILED: { status: 409, zh: '微信支付失败', en: 'WeChat Pay refused the payment' },
  WECHAT_AUTH_CODE_INVALID: { status: 400, zh: '付款码无效，请让顾客刷新付款码', en: 'Not a valid payment code; ask the customer to refresh it' },
  WECHAT_REFUND_NOT_FOUND: { status: 404, zh: '微信退款记录不存在', en: 'WeChat refund not found' },
  WECHAT_REFUND_NOT_RETRYABLE: { status: 409, zh: '该退款无需重试', en: 'This refund cannot be retried' },
  WECHAT_REFUND_EXCEEDS_PAYMENT: { status: 409, zh: '退款金额超过微信支付的可退金额', en: 'The refund is more than what is left of the WeChat payment' },
  WECHAT_TOP_UP_NOT_WECHAT: { status: 409, zh: '该充值不是微信支付的，请在收银台退款', en: 'This top-up was not paid with WeChat Pay; refund it at the counter' },
  WECHAT_NOTIFICATION_REJECTED: { status: 401, zh: '微信支付通知验签失败', en: 'The WeChat Pay notification failed verification' },
  WECHAT_RECONCILIATION_NOT_FOUND: { status: 404, zh: '对账记录不存在', en: 'Reconciliation not found' },
  WECHAT_BILL_NOT_READY: { status: 409, zh: '微信支付账单次日 10 点后才能下载', en: 'WeChat Pay publishes a day’s bill after 10:00 the next day' },
});

/** Coupons (优惠券): templates, issue, use. The reason codes (COUPON_USED … COUPON_BLOCKED_BY_PROMOTION) also explain on a quote why a chosen coupon does not apply. */
export const COUPON_ERRORS = define({
  COUPON_TEMPLATE_NOT_FOUND: { status: 404, zh: '优惠券模板不存在', en: 'Coupon template not found' },
  COUPON_TEMPLATE_DISABLED: { status: 409, zh: '该优惠券已停止发放', en: 'This coupon is no longer issued' },
  COUPON_TEMPLATE_EXPIRED: { status: 409, zh: '该优惠券已过有效期，不能再发放', en: 'This coupon’s validity has ended; it can no longer be issued' },
  COUPON_SOLD_OUT: { status: 409, zh: '优惠券已发完', en: 'All coupons of this kind have been issued' },
  COUPON_MEMBER_LIMIT_REACHED: { status: 409, zh: '该会员领取此优惠券已达上限', en: 'The member already holds as many of this coupon as allowed' },
  COUPON_NOT_FOUND: { status: 404, zh: '优惠券不存在', en: 'Coupon not found' },
  COUPON_NOT_OWNED: { status: 409, zh: '该优惠券不属于此会员', en: 'This coupon belongs to another member' },
  COUPON_NOT_UNUSED: { status: 409, zh: '只有未使用的优惠券可以作废', en: 'Only an unused coupon can be voided' },
  COUPON_UNAVAILABLE: { status: 409, zh: '优惠券已被使用、作废或过期，请重新计算价格', en: 'A coupon was used, voided or expired meanwhile; quote again' },
  COUPON_USED: { status: 409, zh: '优惠券已使用', en: 'The coupon was already used' },
  COUPON_EXPIRED: { status: 409, zh: '优惠券已过期', en: 'The coupon has expired' },
  COUPON_VOIDED: { status: 409, zh: '优惠券已作废', en: 'The coupon was voided' },
  COUPON_NOT_YET_VALID: { status: 409, zh: '优惠券尚未到可用时间', en: 'The coupon is not valid yet' },
  COUPON_NOT_FOR_STORE: { status: 409, zh: '优惠券不适用于本门店', en: 'The coupon is not valid at this store' },
  COUPON_THRESHOLD_NOT_MET: { status: 409, zh: '未达到优惠券使用门槛', en: 'The order does not reach the coupon’s minimum spend' },
  COUPON_NOT_APPLICABLE: { status: 409, zh: '购物车中没有适用此优惠券的商品', en: 'Nothing in the cart is covered by this coupon' },
  COUPON_ITEM_NOT_IN_CART: { status: 409, zh: '购物车中没有此券可兑换的商品', en: 'The item this coupon is for is not in the cart' },
  COUPON_NOT_STACKABLE: { status: 409, zh: '该优惠券不能与其他优惠券叠加使用', en: 'This coupon cannot be combined with another coupon' },
  COUPON_BLOCKED_BY_PROMOTION: { status: 409, zh: '参与的促销活动不能与优惠券同享', en: 'A promotion on these items does not combine with coupons' },
});

/** Promotions (促销): member day, full reduction, flash sale. */
export const PROMOTION_ERRORS = define({
  PROMOTION_NOT_FOUND: { status: 404, zh: '促销活动不存在', en: 'Promotion not found' },
  PROMOTION_FLASH_SALE_SOLD_OUT: { status: 409, zh: '限时抢购商品已抢完，请重新计算价格', en: 'The flash sale is sold out; quote again' },
  PROMOTION_FLASH_SALE_LIMIT_REACHED: { status: 409, zh: '已达到限时抢购每人限购数量，请重新计算价格', en: 'The member reached the flash sale’s limit; quote again' },
  PROMOTION_FLASH_STOCK_BELOW_SOLD: { status: 409, zh: '抢购库存不能少于已售数量', en: 'The flash-sale stock cannot be below what was already sold' },
});

/** The pricing engine (计价) and the quote. */
export const PRICING_ERRORS = define({
  PRICING_MANUAL_DISCOUNT_FORBIDDEN: { status: 403, zh: '没有手工改价权限', en: 'You are not allowed to give manual discounts' },
  PRICING_MANUAL_DISCOUNT_TOO_LARGE: { status: 409, zh: '手工优惠超过允许的上限', en: 'The manual discount exceeds the allowed maximum' },
  PRICING_POINTS_NEED_MEMBER: { status: 400, zh: '积分抵现需要先识别会员', en: 'Paying with points needs a member' },
  PRICING_POINTS_NOT_MULTIPLE: { status: 400, zh: '抵现积分须为抵扣单位的整数倍', en: 'Points to use must be a whole multiple of the offset unit' },
  PRICING_POINTS_OVER_LIMIT: { status: 409, zh: '超过本单最多可用积分', en: 'More points than this order may use' },
});

/** Work schedules (排班) and the services each staff member performs (服务技能). */
export const SCHEDULE_ERRORS = define({
  STAFF_NOT_IN_STORE: { status: 409, zh: '该员工不属于此门店', en: 'This staff member does not work at this store' },
  SCHEDULE_OVERLAP: { status: 409, zh: '排班时段重叠（同一员工在同一时间只能在一个门店上班）', en: 'The schedule overlaps another of the same staff member (one store at a time)' },
  SCHEDULE_EXCEPTION_NOT_FOUND: { status: 404, zh: '排班调整记录不存在', en: 'Schedule exception not found' },
  SCHEDULE_SERVICE_INVALID: { status: 409, zh: '只能为员工设置服务类项目', en: 'Only services (not goods) can be assigned to staff' },
});

/** Bookings (预约) and the walk-in queue (排队叫号). */
export const BOOKING_ERRORS = define({
  BOOKING_NOT_FOUND: { status: 404, zh: '预约不存在', en: 'Booking not found' },
  BOOKING_SLOT_TAKEN: { status: 409, zh: '该时段已被预约，请选择其他时间', en: 'This time is already booked; choose another' },
  BOOKING_SLOT_UNAVAILABLE: { status: 409, zh: '该时段不可预约（不在营业或排班时间内，或超出可预约范围）', en: 'This time cannot be booked (outside opening or working hours, or outside the booking window)' },
  BOOKING_NOT_A_SERVICE: { status: 409, zh: '只能预约服务项目', en: 'Only services can be booked' },
  BOOKING_STAFF_CANNOT_SERVE: { status: 409, zh: '该员工不提供此服务或不在此门店', en: 'This staff member does not perform this service at this store' },
  BOOKING_NO_STAFF_AVAILABLE: { status: 409, zh: '该时段没有可服务的技师', en: 'No technician is free at this time' },
  BOOKING_STATUS_INVALID: { status: 409, zh: '预约当前状态不允许此操作', en: 'The booking’s status does not allow this' },
  BOOKING_CANCEL_DEADLINE_PASSED: { status: 409, zh: '已过取消截止时间，请联系门店', en: 'It is too late to cancel online; please call the store' },
  BOOKING_TOO_MANY_ACTIVE: { status: 409, zh: '您的待服务预约已达上限', en: 'You have reached the limit of open bookings' },
  BOOKING_NOT_STARTED: { status: 409, zh: '预约时间未到，不能标记爽约', en: 'The booking has not started yet; it cannot be a no-show' },
  BOOKING_STORE_CLOSED: { status: 409, zh: '门店暂停营业，不接受预约', en: 'The store is not open for bookings' },
  BOOKING_SETTINGS_INVALID: { status: 400, zh: '预约规则设置无效', en: 'The booking settings are invalid' },
  QUEUE_TICKET_NOT_FOUND: { status: 404, zh: '排队号不存在', en: 'Queue ticket not found' },
  QUEUE_EMPTY: { status: 409, zh: '当前没有等待中的排队号', en: 'Nobody is waiting in the queue' },
  QUEUE_TICKET_STATUS_INVALID: { status: 409, zh: '排队号当前状态不允许此操作', en: 'The queue ticket’s status does not allow this' },
});

/** Commission (提成): staff levels, rules and the commission ledger. */
export const COMMISSION_ERRORS = define({
  COMMISSION_RULE_NOT_FOUND: { status: 404, zh: '提成规则不存在', en: 'Commission rule not found' },
  COMMISSION_RULE_INVALID: { status: 400, zh: '提成规则无效', en: 'The commission rule is invalid' },
  COMMISSION_RULE_DUPLICATE: { status: 409, zh: '已有相同对象和等级的启用规则', en: 'An active rule for the same item and level exists' },
  STAFF_LEVEL_NOT_FOUND: { status: 404, zh: '员工等级不存在', en: 'Staff level not found' },
  STAFF_LEVEL_NAME_TAKEN: { status: 409, zh: '员工等级名称已存在', en: 'A staff level with this name exists' },
  STAFF_LEVEL_IN_USE: { status: 409, zh: '该员工等级仍在使用中', en: 'The staff level is still in use' },
});

/** Wages (工资): base salary, adjustments, payslips and the monthly close (关账). */
export const PAYROLL_ERRORS = define({
  PAYROLL_MONTH_CLOSED: { status: 409, zh: '该月工资已关账，不能修改', en: 'The month is closed and read-only' },
  PAYROLL_MONTH_NOT_OVER: { status: 409, zh: '该月尚未结束，不能关账', en: 'The month has not ended yet and cannot be closed' },
  PAYROLL_ADJUSTMENT_NOT_FOUND: { status: 404, zh: '工资调整记录不存在', en: 'Wage adjustment not found' },
});

/** Attendance (考勤): clock-in / clock-out and the monthly report. */
export const ATTENDANCE_ERRORS = define({
  ATTENDANCE_ALREADY_CLOCKED_IN: { status: 409, zh: '您已上班打卡，请先下班打卡', en: 'You are already clocked in; clock out first' },
  ATTENDANCE_NOT_CLOCKED_IN: { status: 409, zh: '您还没有上班打卡', en: 'You have not clocked in' },
  ATTENDANCE_RECORD_NOT_FOUND: { status: 404, zh: '考勤记录不存在', en: 'Attendance record not found' },
  ATTENDANCE_RECORD_INVALID: { status: 400, zh: '考勤记录时间无效', en: 'The attendance times are invalid' },
  ATTENDANCE_RECORD_OVERLAP: { status: 409, zh: '考勤记录与已有记录时间重叠', en: 'The attendance record overlaps an existing one' },
});

/** Notifications (消息通知): the outbox, its log, templates and member preferences. */
export const NOTIFICATION_ERRORS = define({
  NOTIFICATION_MESSAGE_NOT_FOUND: { status: 404, zh: '消息记录不存在', en: 'Notification not found' },
  NOTIFICATION_NOT_RETRYABLE: { status: 409, zh: '只有发送失败的消息可以重发', en: 'Only a failed notification can be retried' },
  NOTIFICATION_BENEFIT_UNAVAILABLE: { status: 409, zh: '该生日礼遇暂不可用（优惠券功能未启用）', en: 'This birthday benefit is not available (coupons are not set up)' },
});

/** Checkout (收银): orders, payments, refunds, open tickets and parked sales (开单 / 挂单). */
export const ORDER_ERRORS = define({
  ORDER_NOT_FOUND: { status: 404, zh: '订单不存在', en: 'Order not found' },
  ORDER_QUOTE_CHANGED: { status: 409, zh: '价格已变化，请重新确认应付金额', en: 'The price changed since the quote; confirm the new total' },
  ORDER_EMPTY: { status: 400, zh: '订单没有商品或服务', en: 'The order has no items' },
  ORDER_PAYMENT_MISMATCH: { status: 400, zh: '支付金额合计与应付金额不符', en: 'The payments do not add up to the amount due' },
  ORDER_PAYMENT_DUPLICATE: { status: 400, zh: '同一种支付方式只能使用一次', en: 'This payment method may be used only once per order' },
  ORDER_CASH_TENDERED_SHORT: { status: 400, zh: '实收现金少于现金支付金额', en: 'The cash tendered is less than the cash part' },
  ORDER_PAYMENT_NEEDS_MEMBER: { status: 400, zh: '储值、积分和次卡支付须先识别会员', en: 'Stored value, points and count cards need a member on the order' },
  ORDER_COUNT_CARD_LINE_INVALID: { status: 400, zh: '次卡只能抵扣订单中的服务项目，且不超过其数量', en: 'A count card pays only for service lines of the order, up to their quantity' },
  ORDER_MEMBER_CODE_MISMATCH: { status: 409, zh: '会员码与本单会员不符', en: 'The member code belongs to another member' },
  ORDER_STAFF_INVALID: { status: 400, zh: '服务员工不存在或不属于本店', en: 'A serving staff member does not exist or does not work at this store' },
  ORDER_NOT_PENDING: { status: 409, zh: '订单不在待支付状态', en: 'The order is not waiting for payment' },
  ORDER_EXTERNAL_PAYMENT_MISMATCH: { status: 409, zh: '第三方支付金额与订单不符', en: 'The provider’s amount does not match the order' },
  ORDER_NOT_REFUNDABLE: { status: 409, zh: '该订单当前不能退款', en: 'This order cannot be refunded now' },
  ORDER_REFUND_LINE_INVALID: { status: 400, zh: '退款明细有误', en: 'A refund line is invalid' },
  ORDER_REFUND_EXCEEDS: { status: 409, zh: '退款数量或金额超过可退部分', en: 'The refund exceeds what is left to refund' },
  ORDER_REFUND_POINTS_SPENT: { status: 409, zh: '本单赠送的积分已被使用，不能退款', en: 'The points this order earned were already spent' },
  TICKET_NOT_FOUND: { status: 404, zh: '挂单不存在', en: 'Ticket not found' },
  TICKET_LINE_NOT_FOUND: { status: 404, zh: '挂单明细不存在', en: 'Ticket line not found' },
  TICKET_NOT_OPEN: { status: 409, zh: '该单已结账、已取单或已取消', en: 'The ticket was already settled, resumed or cancelled' },
  TICKET_EMPTY: { status: 409, zh: '挂单中还没有项目', en: 'The ticket has no lines yet' },
});

/** Inventory (进销存): suppliers, purchases, other inbound/outbound, transfers, stocktakes, alerts. */
export const INVENTORY_ERRORS = define({
  INVENTORY_SUPPLIER_NOT_FOUND: { status: 404, zh: '供应商不存在', en: 'Supplier not found' },
  INVENTORY_SUPPLIER_CODE_TAKEN: { status: 409, zh: '供应商编码已存在', en: 'A supplier with this code exists' },
  INVENTORY_SUPPLIER_INACTIVE: { status: 409, zh: '供应商已停用', en: 'This supplier is inactive' },
  INVENTORY_SKU_NOT_IN_DOCUMENT: { status: 409, zh: '单据中没有该商品', en: 'The item is not on this document' },
  INVENTORY_PURCHASE_ORDER_NOT_FOUND: { status: 404, zh: '采购单不存在', en: 'Purchase order not found' },
  INVENTORY_PURCHASE_ORDER_STATUS: { status: 409, zh: '采购单当前状态不能执行此操作', en: 'The purchase order’s status does not allow this' },
  INVENTORY_RECEIVE_EXCEEDS_ORDERED: { status: 409, zh: '收货数量超过采购未到数量', en: 'More received than is still outstanding on the order' },
  INVENTORY_RETURN_EXCEEDS_RECEIVED: { status: 409, zh: '退货数量超过已入库未退数量', en: 'More returned than was received and not yet returned' },
  INVENTORY_STOCK_IO_NOT_FOUND: { status: 404, zh: '出入库单不存在', en: 'Inbound/outbound document not found' },
  INVENTORY_STOCK_IO_STATUS: { status: 409, zh: '出入库单当前状态不能执行此操作', en: 'The document’s status does not allow this' },
  INVENTORY_TRANSFER_NOT_FOUND: { status: 404, zh: '调货单不存在', en: 'Transfer not found' },
  INVENTORY_TRANSFER_STATUS: { status: 409, zh: '调货单当前状态不能执行此操作', en: 'The transfer’s status does not allow this' },
  INVENTORY_TRANSFER_WRONG_SIDE: {
    status: 403,
    zh: '调出门店审核和发货，调入门店收货',
    en: 'The sending store approves and ships; the receiving store receives',
  },
  INVENTORY_TRANSFER_EMPTY: { status: 409, zh: '调货数量不能全部为 0', en: 'A transfer cannot move nothing at all' },
  INVENTORY_SHIP_EXCEEDS_APPROVED: { status: 409, zh: '发货数量超过审核数量', en: 'More shipped than was approved' },
  INVENTORY_RECEIVE_EXCEEDS_SHIPPED: { status: 409, zh: '收货数量超过发货数量', en: 'More received than was shipped' },
  INVENTORY_APPROVE_EXCEEDS_REQUESTED: { status: 409, zh: '审核数量超过申请数量', en: 'More approved than was requested' },
  INVENTORY_STOCKTAKE_NOT_FOUND: { status: 404, zh: '盘点单不存在', en: 'Stocktake not found' },
  INVENTORY_STOCKTAKE_STATUS: { status: 409, zh: '盘点单已过账或已取消', en: 'The stocktake was already posted or cancelled' },
  INVENTORY_STOCKTAKE_OPEN_EXISTS: { status: 409, zh: '该门店已有进行中的盘点', en: 'The store already has a stocktake in progress' },
  INVENTORY_STOCKTAKE_OUT_OF_SCOPE: { status: 409, zh: '商品不在本次盘点范围内', en: 'The item is not within this stocktake' },
  INVENTORY_BARCODE_NOT_FOUND: { status: 404, zh: '条码对应的在售商品不存在', en: 'No item on sale has this barcode' },
  INVENTORY_ALERT_LINE_NOT_FOUND: { status: 404, zh: '该商品未设置库存预警', en: 'No low-stock alert line is set for this item' },
  INVENTORY_STOCK_ALERT_NOT_FOUND: { status: 404, zh: '库存预警不存在', en: 'Low-stock alert not found' },
  INVENTORY_NOTHING_TO_ORDER: { status: 409, zh: '当前没有需要补货的商品', en: 'Nothing needs ordering at the moment' },
});

export const ERRORS = {
  ...COMMON_ERRORS,
  ...IDEMPOTENCY_ERRORS,
  ...AUTH_ERRORS,
  ...STORE_ERRORS,
  ...STAFF_ERRORS,
  ...MEMBER_ERRORS,
  ...LEDGER_ERRORS,
  ...TIER_ERRORS,
  ...COUNT_CARD_ERRORS,
  ...WALLET_ERRORS,
  ...POINTS_ERRORS,
  ...CARD_ERRORS,
  ...BACKUP_ERRORS,
  ...CATALOG_ERRORS,
  ...SHIFT_ERRORS,
  ...WECHAT_ERRORS,
  ...COUPON_ERRORS,
  ...PROMOTION_ERRORS,
  ...PRICING_ERRORS,
  ...SCHEDULE_ERRORS,
  ...BOOKING_ERRORS,
  ...COMMISSION_ERRORS,
  ...PAYROLL_ERRORS,
  ...ATTENDANCE_ERRORS,
  ...NOTIFICATION_ERRORS,
  ...ORDER_ERRORS,
  ...INVENTORY_ERRORS,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown; requestId?: string };
}

export type Locale = 'zh-CN' | 'en';

export function errorMessage(code: ErrorCode, locale: Locale = 'zh-CN'): string {
  const def = ERRORS[code];
  return locale === 'en' ? def.en : def.zh;
}
