import fc from 'fast-check';
import { columns, localTime, printable, quantity, spread, wrap, yuan } from './text';

describe('receipt text', () => {
  it('counts a column per ASCII character and two per GB18030 double-byte character, symbols included', () => {
    expect(columns('abc')).toBe(3);
    expect(columns('洗剪吹')).toBe(6);
    expect(columns('2 × 68.00')).toBe(10); // × is A1C1 in GB18030: a double-width glyph on the printer
    expect(columns('会员：')).toBe(6);
  });

  it('makes text printable: no control bytes, no zero-width marks, no glyphs printer fonts lack', () => {
    expect(printable('张\u001b伟\n')).toBe('张 伟 ');
    expect(printable('小\u200d明\ufe0f')).toBe('小明');
    expect(printable('咖啡☕️😀')).toBe('咖啡??');
    expect(printable('𠮷野家')).toBe('𠮷野家'); // a four-byte GB18030 ideograph stays
    expect(printable('€ ¥')).toBe('€ ?'); // € is two bytes (A2E3); ¥ (U+00A5) needs four and is no printer glyph
  });

  it('wraps by columns, never inside a character, breaking at a space when one is near', () => {
    expect(wrap('珍珠奶茶大杯少冰三分糖', 8)).toEqual(['珍珠奶茶', '大杯少冰', '三分糖']);
    expect(wrap('Bubble Milk Tea', 12)).toEqual(['Bubble Milk', 'Tea']);
    expect(wrap('a\n\nb', 5)).toEqual(['a', '', 'b']);
    expect(wrap('奶a', 2)).toEqual(['奶', 'a']);
  });

  it('never makes a line wider than asked and loses no character but spaces at the breaks', () => {
    const text = fc.array(fc.constantFrom('奶', '茶', 'a', 'B', '1', ' ', '×', '：'), { maxLength: 80 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 2, max: 48 }), (s, width) => {
        const lines = wrap(s, width);
        for (const l of lines) expect(columns(l)).toBeLessThanOrEqual(width);
        expect(lines.join('').replace(/ /g, '')).toBe(s.replace(/ /g, ''));
      }),
    );
  });

  it('spreads a label and an amount to exactly the width, or says they do not fit', () => {
    expect(spread('应收', '140.40', 16)).toBe('应收      140.40');
    expect(spread('很长很长的标签', '140.40', 16)).toBeNull();
  });

  it('writes fen as yuan and quantities as given, and times in the store’s zone', () => {
    expect([yuan(0), yuan(5), yuan(12345), yuan(-80), yuan(-100)]).toEqual(['0.00', '0.05', '123.45', '-0.80', '-1.00']);
    expect(() => yuan(1.5)).toThrow(RangeError);
    expect([quantity(2), quantity(0.25), quantity(1 / 3)]).toEqual(['2', '0.25', '0.333']);
    expect(localTime('2026-11-23T16:30:00Z', 'Asia/Shanghai')).toBe('2026-11-24 00:30:00');
    expect(localTime('2026-11-23T16:30:00Z', 'America/New_York')).toBe('2026-11-23 11:30:00');
    expect(() => localTime('yesterday', 'Asia/Shanghai')).toThrow(RangeError);
  });
});
