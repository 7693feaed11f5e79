import fc from 'fast-check';
import { foldForSearch, gramsOf, productGrams, termGrams } from './search-grams';

describe('search grams', () => {
  it('holds each character and each adjacent pair, by kind', () => {
    expect(gramsOf('name', '奶茶')).toEqual(['n:奶', 'n:奶茶', 'n:茶']);
    expect(termGrams('initials', 'n')).toEqual(['i:n']);
    expect(termGrams('initials', 'znc')).toEqual(['i:zn', 'i:nc']);
    expect(productGrams('珍珠奶茶', { initials: 'zznc', full: 'zhenzhunaicha' })).toEqual(expect.arrayContaining(['n:奶茶', 'i:nc', 'p:na', 'p:ch']));
    expect(foldForSearch('ＣＯＣＡ 可乐')).toBe('coca 可乐');
  });

  it('never misses: a text that contains a term holds all of the term’s grams', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'奶茶珍珠ab c1'.split('')), minLength: 1, maxLength: 20 }), fc.nat(), fc.nat(), (text, a, b) => {
        const start = a % text.length;
        const term = text.slice(start, start + 1 + (b % (text.length - start)));
        const grams = new Set(gramsOf('name', text));
        for (const g of termGrams('name', term)) expect(grams.has(g)).toBe(true);
      }),
    );
  });
});
