import fc from 'fast-check';
import { normaliseSearchTerm, searchKeys } from './pinyin';

describe('searchKeys', () => {
  it.each([
    ['珍珠奶茶', 'zznc', 'zhenzhunaicha'],
    ['杨枝甘露', 'yzgl', 'yangzhiganlu'],
    ['洗剪吹', 'xjc', 'xijianchui'],
    ['精油按摩', 'jyam', 'jingyouanmo'],
    ['大白兔奶糖 500g', 'dbtnt500g', 'dabaitunaitang500g'],
    ['可口可乐 Coca-Cola 330ml', 'kkklcocacola330ml', 'kekoukelecocacola330ml'],
    ['绿茶', 'lc', 'lvcha'],
    ['重庆小面', 'cqxm', 'chongqingxiaomian'],
  ])('reads %s as %s / %s', (name, initials, full) => {
    expect(searchKeys(name)).toMatchObject({ initials, full });
  });

  it('lets full pinyin match from the start of a syllable only', () => {
    expect(searchKeys('珍珠奶茶').search).toBe(' zhenzhunaicha zhunaicha naicha cha');
    expect(searchKeys('洗剪吹').search).not.toContain(' nc');
    expect(searchKeys('可口可乐 330ml').search).toBe(' kekoukele330ml koukele330ml kele330ml le330ml 330ml');
    expect(searchKeys('').search).toBe('');
  });

  it('gives only lower-case letters and digits, one initial per Chinese character', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'奶茶珍珠洗剪吹ab C1-2 ü'.split('')), maxLength: 30 }), (name) => {
        const { initials, full } = searchKeys(name);
        expect(initials).toMatch(/^[a-z0-9]*$/);
        expect(full).toMatch(/^[a-z0-9]*$/);
        expect(initials.length).toBeLessThanOrEqual(full.length);
        const han = [...name].filter((c) => /\p{Script=Han}/u.test(c)).length;
        const other = normaliseSearchTerm([...name].filter((c) => !/\p{Script=Han}/u.test(c)).join(''));
        expect(initials.length).toBe(han + other.length);
        expect(searchKeys(name).search.startsWith(full ? ` ${full}` : '')).toBe(true);
      }),
    );
  });

  it('normalises search terms the same way', () => {
    expect(normaliseSearchTerm(' NC ')).toBe('nc');
    expect(normaliseSearchTerm('Ｎａｉ－ｃｈａ')).toBe('naicha');
  });
});
