import fc from 'fast-check';
import { checkKeywordValue, checkTemplateData, keywordType } from './subscribe-rules';

describe('subscribe message keyword rules', () => {
  it('takes the type from the keyword name', () => {
    expect(keywordType('thing12')).toBe('thing');
    expect(keywordType('character_string3')).toBe('character_string');
    expect(keywordType('weird1')).toBeNull();
  });

  it('accepts any thing of 1 to 20 characters and refuses longer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 20 }), (s) => {
        fc.pre([...s].length <= 20);
        expect(checkKeywordValue('thing', s)).toBeNull();
      }),
    );
    expect(checkKeywordValue('thing', '一'.repeat(21))).not.toBeNull();
  });

  it.each([
    ['amount', '¥99.8', true],
    ['amount', '99.80元', true],
    ['amount', '九十九', false],
    ['time', '15:01', true],
    ['time', '2019年10月1日 15:01', true],
    ['time', '15:01~16:30', true],
    ['time', 'soon', false],
    ['date', '2019年10月1日', true],
    ['date', '2019-10-01 15:01', true],
    ['date', 'tomorrow', false],
    ['phrase', '已完成', true],
    ['phrase', '已经完成了啊', false],
    ['phrase', 'done', false],
    ['name', '张三', true],
    ['name', 'Zhang San', true],
    ['name', '一二三四五六七八九十一', false],
    ['number', '12.5', true],
    ['number', 'x1', false],
    ['character_string', 'M00042-A', true],
    ['character_string', '会员号', false],
    ['phone_number', '+86 138-0013-8000', true],
    ['car_number', '粤A12345', true],
    ['letter', 'abc', true],
    ['symbol', '%', true],
  ] as const)('%s %s → %s', (type, value, ok) => {
    expect(checkKeywordValue(type, value) === null).toBe(ok);
  });

  it('names the first keyword that does not fit', () => {
    expect(checkTemplateData(['thing1', 'amount2'], { thing1: { value: 'ok' } })).toBe('argument invalid! data.amount2.value is empty');
    expect(checkTemplateData(['thing1'], null)).toContain('data is empty');
    expect(checkTemplateData(['thing1', 'amount2'], { thing1: { value: 'ok' }, amount2: { value: 5 } })).toBeNull();
  });
});
