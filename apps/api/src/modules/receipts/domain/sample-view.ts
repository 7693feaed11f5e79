import type { ReceiptView } from './receipt-view';

/** A full receipt (member, discounts, split payment, change, refund, QR) for tests and previews. */
export function sampleReceiptView(over: Partial<ReceiptView> = {}): ReceiptView {
  return {
    store: { name: '上海人民广场店', code: 'SH001', address: '上海市黄浦区南京东路 100 号', phone: '021-63210001' },
    orderNo: 'SH001-20261123-0001',
    createdAt: '2026-11-23T06:05:09.000Z',
    timeZone: 'Asia/Shanghai',
    cashierName: '王收银',
    member: { memberNo: '8000000001', name: '张伟', maskedPhone: '138****0001' },
    lines: [
      {
        name: '洗剪吹',
        quantity: 2,
        unitPriceFen: 6800,
        originalFen: 13600,
        totalFen: 11920,
        discounts: [{ label: '银卡会员 95 折', amountFen: 680 }, { label: '满100减10', amountFen: 1000 }],
        servingStaff: ['赵技师', '钱技师'],
      },
      { name: '珍珠奶茶 (大杯, 少冰, 三分糖) Bubble Milk Tea', quantity: 1, unitPriceFen: 1800, originalFen: 1800, totalFen: 1800, discounts: [], servingStaff: [] },
    ],
    orderDiscounts: [{ label: '满100减10', amountFen: 1000 }],
    subtotalFen: 15400,
    discountFen: 1680,
    totalFen: 13720,
    payments: [
      { method: 'stored_value', label: '储值', amountFen: 10000 },
      { method: 'points', label: '积分抵现', amountFen: 500 },
      { method: 'cash', label: '现金', amountFen: 3220 },
    ],
    tenderedFen: 5000,
    changeFen: 1780,
    after: { balanceFen: 101200, principalFen: 90000, bonusFen: 11200, points: 1340, pointsEarned: 140 },
    refunds: [{ at: '2026-11-23T07:00:00.000Z', amountFen: 1800 }],
    qrContent: 'https://chaincard.example/r/SH001-20261123-0001?会员=8000000001',
    footer: '谢谢惠顾，欢迎再次光临！\n会员专线 400-000-0000',
    reprint: false,
    ...over,
  };
}
