import qrcode from 'qrcode-generator';
import { escapeHtml, qrSvg, renderReceiptHtml } from './receipt-html';
import { sampleReceiptView } from './sample-view';

describe('renderReceiptHtml', () => {
  it('is a zh-CN page in UTF-8 with the receipt’s content in order', () => {
    const html = renderReceiptHtml(sampleReceiptView());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>小票 SH001-20261123-0001</title>');
    const order = ['<h1>上海人民广场店</h1>', '单号', '时间</span>：<span class="value">2026-11-23 14:05:09', '洗剪吹', '服务：赵技师、钱技师', '商品合计', '应收', '找零', '储值余额', '退款记录', '<svg', '谢谢惠顾'];
    const at = order.map((s) => html.indexOf(s));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).toMatch(/<div class="amount strong"><span class="label">应收<\/span><span class="value">137\.20<\/span><\/div>/);
    expect(html).toContain('<tr class="item"><td class="name">洗剪吹</td><td class="num">2</td><td class="num">68.00</td><td class="num">136.00</td></tr>');
    expect(html).toContain('<tr class="detail"><td colspan="3">银卡会员 95 折</td><td class="num">-6.80</td></tr>');
  });

  it('prints on 80 mm or 58 mm paper', () => {
    const wide = renderReceiptHtml(sampleReceiptView());
    expect(wide).toContain('@page { size: 80mm auto; margin: 0; }');
    expect(wide).toMatch(/@media print \{ body \{ width: 72mm;/);
    const narrow = renderReceiptHtml(sampleReceiptView(), 58);
    expect(narrow).toContain('@page { size: 58mm auto; margin: 0; }');
    expect(narrow).toMatch(/@media print \{ body \{ width: 48mm;/);
    expect(() => renderReceiptHtml(sampleReceiptView(), 76 as 80)).toThrow(RangeError);
  });

  it('escapes every text of the view', () => {
    const html = renderReceiptHtml(
      sampleReceiptView({
        store: { name: '<script>alert(1)</script>', code: 'X', address: '"a" & \'b\'', phone: null },
        member: { memberNo: '1', name: '<img src=x onerror=alert(1)>', maskedPhone: null },
        footer: '</body>',
        qrContent: 'https://x.example/?a=1&b="2"',
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;a&quot; &amp; &#39;b&#39;');
    expect(html).toContain('aria-label="https://x.example/?a=1&amp;b=&quot;2&quot;"');
    expect(html.match(/<\/body>/g)).toHaveLength(1);
    expect(escapeHtml('<&>"\'')).toBe('&lt;&amp;&gt;&quot;&#39;');
  });

  it('draws the QR code as SVG modules matching the encoded payload, with a quiet zone', () => {
    const content = 'https://chaincard.example/r/1?会员=8000000001';
    const svg = qrSvg(content);
    const expected = qrcode(0, 'M');
    expected.addData(Buffer.from(content, 'utf8').toString('latin1'), 'Byte');
    expected.make();
    const n = expected.getModuleCount();
    expect(svg).toContain(`viewBox="0 0 ${n + 8} ${n + 8}"`);
    const drawn = new Set([...svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${Number(m[1]) - 4},${Number(m[2]) - 4}`));
    let dark = 0;
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (expected.isDark(y, x)) {
      dark++;
      expect(drawn.has(`${x},${y}`)).toBe(true);
    }
    expect(drawn.size).toBe(dark);
    expect(() => qrSvg('x'.repeat(2332))).toThrow(RangeError);
  });

  it('leaves out what the view does not have', () => {
    const html = renderReceiptHtml(sampleReceiptView({ member: null, after: null, refunds: [], qrContent: null, footer: null, reprint: true }));
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('储值余额');
    expect(html).not.toContain('退款记录');
    expect(html).toContain('*** 重打小票 ***');
  });
});
