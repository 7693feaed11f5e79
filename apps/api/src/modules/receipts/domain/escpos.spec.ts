import fc from 'fast-check';
import * as iconv from 'iconv-lite';
import { renderEscPos } from './escpos';
import { decodeEscPos, type DecodedLine } from './escpos-decoder';
import { PAPER_COLUMNS, type PaperWidth, type ReceiptView } from './receipt-view';
import { sampleReceiptView } from './sample-view';
import { columns, yuan } from './text';

const PAPERS: PaperWidth[] = [58, 80];
const decode = (view: ReceiptView, paper: PaperWidth) => decodeEscPos(renderEscPos(view, paper));
const lineStarting = (lines: DecodedLine[], start: string) => {
  const found = lines.find((l) => l.text.startsWith(start));
  if (!found) throw new Error(`no line starts with ${start}: ${lines.map((l) => l.text).join(' | ')}`);
  return found;
};
/** A label, at least two spaces, and a figure at the end: the lines whose figure is right-aligned. */
const AMOUNT_LINE = /\S\s{2,}[-+]?\d+(\.\d{2})?$/;

describe('renderEscPos', () => {
  it.each(PAPERS)('starts with init and Chinese mode and ends with a feed and a cut (%i mm)', (paper) => {
    const { commands } = decode(sampleReceiptView(), paper);
    expect(commands.slice(0, 2)).toEqual([{ name: 'init' }, { name: 'chinese-on' }]);
    expect(commands.slice(-2)).toEqual([{ name: 'feed', lines: 3 }, { name: 'cut', partial: true }]);
    expect(commands.filter((c) => c.name === 'cut')).toHaveLength(1);
  });

  it('prints Chinese as GB18030 bytes that decode back to the same text', () => {
    const bytes = renderEscPos(sampleReceiptView(), 58);
    for (const text of ['上海人民广场店', '洗剪吹', '服务：赵技师、钱技师', '谢谢惠顾，欢迎再次光临！']) {
      expect(bytes.includes(iconv.encode(text, 'gb18030'))).toBe(true);
      expect(bytes.includes(Buffer.from(text, 'utf8'))).toBe(false);
    }
    const { lines } = decodeEscPos(bytes);
    expect(lines.map((l) => l.text)).toEqual(expect.arrayContaining(['上海人民广场店', '  服务：赵技师、钱技师', '手机：138****0001', '会员：8000000001 张伟']));
  });

  it.each(PAPERS)('fits every line in its columns (CJK two) and ends every amount on the last column (%i mm)', (paper) => {
    const width = PAPER_COLUMNS[paper];
    const { lines } = decode(sampleReceiptView(), paper);
    for (const l of lines) expect({ line: l.text, fits: columns(l.text) * l.width <= width }).toEqual({ line: l.text, fits: true });
    const amountLines = lines.filter((l) => l.align === 'left' && AMOUNT_LINE.test(l.text));
    expect(amountLines.length).toBeGreaterThan(10);
    for (const l of amountLines) expect({ line: l.text, width: columns(l.text) }).toEqual({ line: l.text, width });
  });

  it('prints the store header centred in double size, then the order fields', () => {
    const { lines } = decode(sampleReceiptView(), 80);
    expect(lines[0]).toEqual({ text: '上海人民广场店', align: 'centre', bold: true, width: 2, height: 2 });
    expect(lines[1]).toMatchObject({ text: '上海市黄浦区南京东路 100 号', align: 'centre', width: 1 });
    expect(lines[2]).toMatchObject({ text: '电话：021-63210001', align: 'centre' });
    expect(lineStarting(lines, '时间').text).toBe('时间：2026-11-23 14:05:09'); // 06:05 UTC in Asia/Shanghai
    expect(lineStarting(lines, '收银').text).toBe('收银：王收银');
  });

  it('lines up the 80 mm item table under its headings', () => {
    const { lines } = decode(sampleReceiptView(), 80);
    const texts = lines.map((l) => l.text);
    const head = texts.indexOf('品名                   数量      单价       金额');
    expect(head).toBeGreaterThan(0);
    expect(texts.slice(head + 1, head + 9)).toEqual([
      '洗剪吹                    2     68.00     136.00',
      '  银卡会员 95 折                           -6.80',
      '  满100减10                               -10.00',
      '  折后                                    119.20',
      '  服务：赵技师、钱技师',
      '珍珠奶茶 (大杯, 少冰,     1     18.00      18.00',
      '三分糖) Bubble Milk',
      'Tea',
    ]);
  });

  it('prints each 58 mm item on two rows: the name, then quantity × unit price and the amount', () => {
    const texts = decode(sampleReceiptView(), 58).lines.map((l) => l.text);
    const at = texts.indexOf('洗剪吹');
    expect(texts.slice(at, at + 5)).toEqual(['洗剪吹', '  2 × 68.00              136.00', '  银卡会员 95 折           -6.80', '  满100减10               -10.00', '  折后                    119.20']);
  });

  it.each(PAPERS)('prints the totals, payments, change and the member’s balances of the view (%i mm)', (paper) => {
    const view = sampleReceiptView();
    const { lines } = decode(view, paper);
    const value = (label: string) => lineStarting(lines, label).text.slice(label.length).trim();
    expect(value('商品合计')).toBe(yuan(view.subtotalFen));
    expect(value('优惠合计')).toBe(yuan(-view.discountFen));
    expect(lineStarting(lines, '应收')).toMatchObject({ bold: true, height: 2 });
    expect(value('应收')).toBe('137.20');
    expect([value('储值'), value('积分抵现'), value('现金'), value('实收现金'), value('找零')]).toEqual(['100.00', '5.00', '32.20', '50.00', '17.80']);
    expect([value('储值余额'), value('积分余额'), value('本单积分')]).toEqual(['1012.00', '1340', '+140']);
    expect(lineStarting(lines, '  本金').text).toBe('  本金 900.00  赠送 112.00');
    expect(lineStarting(lines, '退款记录').bold).toBe(true);
    expect(value('2026-11-23 15:00:00')).toBe('-18.00');
    expect(value('满100减10')).toBe('-10.00');
  });

  it.each(PAPERS)('has the printer draw a QR code of the view’s content (%i mm)', (paper) => {
    const view = sampleReceiptView();
    const { commands, qrCodes } = decode(view, paper);
    expect(qrCodes).toEqual([view.qrContent]);
    const at = commands.findIndex((c) => c.name === 'qr-model');
    expect(commands.slice(at - 1, at + 5)).toEqual([
      { name: 'align', align: 'centre' },
      { name: 'qr-model', model: 2 },
      { name: 'qr-size', dots: paper === 80 ? 8 : 6 },
      { name: 'qr-ecc', level: 'M' },
      { name: 'qr-store', data: Buffer.from(view.qrContent!, 'utf8') },
      { name: 'qr-print' },
    ]);
  });

  it('leaves out what the view does not have, and marks a reprint', () => {
    const view = sampleReceiptView({ member: null, after: null, refunds: [], qrContent: null, footer: null, cashierName: null, tenderedFen: null, changeFen: null, reprint: true, orderDiscounts: [] });
    const { lines, commands } = decode(view, 58);
    const texts = lines.map((l) => l.text);
    expect(texts.some((t) => /^(会员|手机|收银|储值余额|积分余额|退款|找零|实收)/.test(t))).toBe(false);
    expect(commands.some((c) => c.name.startsWith('qr'))).toBe(false);
    expect(lines[3]).toMatchObject({ text: '*** 重打小票 ***', bold: true, align: 'centre' });
    expect(commands.at(-1)).toEqual({ name: 'cut', partial: true });
  });

  it('cannot be made to send commands through the text of a name or a footer', () => {
    const view = sampleReceiptView({
      store: { name: '店\u001b@\u001dV\u0000', code: 'X', address: null, phone: null },
      member: { memberNo: '1', name: '张\u001bi伟😀', maskedPhone: null },
      footer: '谢谢\u001dV\u0041\u0000光临',
    });
    const { commands, lines } = decode(view, 58); // the decoder refuses any stray control byte
    expect(commands.filter((c) => c.name === 'cut')).toHaveLength(1);
    expect(commands.filter((c) => c.name === 'init')).toHaveLength(1);
    expect(lines[0].text).toBe('店 @ V');
    expect(lineStarting(lines, '会员').text).toBe('会员：1 张 i伟?');
  });

  it('keeps very long names and very large amounts inside the paper', () => {
    const view = sampleReceiptView({
      lines: [{ name: '超长商品名称'.repeat(8), quantity: 1234, unitPriceFen: 12_345_678_900, originalFen: 1_234_567_890_000, totalFen: 1_234_567_890_000, discounts: [{ label: '一个非常非常非常长的优惠活动名称说明'.repeat(2), amountFen: 1 }], servingStaff: ['甲'.repeat(40)] }],
    });
    for (const paper of PAPERS) {
      const { lines } = decode(view, paper);
      for (const l of lines) expect(columns(l.text) * l.width).toBeLessThanOrEqual(PAPER_COLUMNS[paper]);
      const big = lines.find((l) => l.text.endsWith(' 12345678900.00'))!;
      expect(columns(big.text)).toBe(PAPER_COLUMNS[paper]);
    }
  });

  it('refuses a paper it does not know and a QR payload no QR code holds', () => {
    expect(() => renderEscPos(sampleReceiptView(), 76 as PaperWidth)).toThrow(RangeError);
    expect(() => renderEscPos(sampleReceiptView({ qrContent: 'x'.repeat(2332) }), 80)).toThrow(RangeError);
  });

  it('holds for any receipt: decodable, within the paper, the amount due and QR as given, cut at the end', () => {
    const name = fc.array(fc.constantFrom('奶', '茶', '洗', '剪', 'a', 'Z', '9', ' ', '(', '×', '😀', '\n'), { minLength: 1, maxLength: 40 }).map((a) => a.join(''));
    const fen = fc.integer({ min: 0, max: 10_000_000_00 });
    const line = fc.record({
      name,
      quantity: fc.integer({ min: 1, max: 999 }),
      unitPriceFen: fen,
      originalFen: fen,
      totalFen: fen,
      discounts: fc.array(fc.record({ label: name, amountFen: fen }), { maxLength: 3 }),
      servingStaff: fc.array(name, { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 5 }), fen, fc.option(fc.webUrl(), { nil: null }), name, fc.constantFrom(...PAPERS), (lines, totalFen, qrContent, storeName, paper) => {
        const view = sampleReceiptView({ lines, totalFen, qrContent, store: { name: storeName, code: 'S', address: storeName, phone: null } });
        const decoded = decode(view, paper);
        for (const l of decoded.lines) expect(columns(l.text) * l.width).toBeLessThanOrEqual(PAPER_COLUMNS[paper]);
        const due = decoded.lines.find((l) => l.text.startsWith('应收'))!;
        expect(due.text.trim().endsWith(yuan(totalFen))).toBe(true);
        expect(decoded.qrCodes).toEqual(qrContent ? [qrContent] : []);
        expect(decoded.commands.at(-1)).toEqual({ name: 'cut', partial: true });
      }),
      { numRuns: 150 },
    );
  });
});
