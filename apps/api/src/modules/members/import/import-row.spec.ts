import { mapHeader, parseImportRow } from './import-row';

describe('member import rows', () => {
  it('maps Chinese and English headers', () => {
    expect(mapHeader('手机号')).toBe('phone');
    expect(mapHeader(' Phone ')).toBe('phone');
    expect(mapHeader('储值余额')).toBe('principalFen');
    expect(mapHeader('unknown column')).toBeNull();
  });

  it('converts yuan to fen, genders and dates as people type them', () => {
    const { row, errors } = parseImportRow({ name: '张三', phone: '13800000000', gender: '女', birthday: '1990/3/7', principalFen: '120.5', bonusFen: '20', points: '300', tags: 'VIP;老客户' });
    expect(errors).toEqual([]);
    expect(row).toMatchObject({ gender: 'female', birthday: '1990-03-07', principalFen: 12050, bonusFen: 2000, points: 300, tags: ['VIP', '老客户'] });
  });

  it('names every bad field of a row', () => {
    const { row, errors } = parseImportRow({ name: '', phone: '12', gender: '其他', birthday: '1990-02-30', principalFen: '-1', points: '1.5' });
    expect(row).toBeUndefined();
    expect(errors.map((e) => e.field).sort()).toEqual(['birthday', 'gender', 'name', 'phone', 'points', 'principalFen']);
  });
});
