import { GENDERS, yuanToFen, type Gender } from '@chaincard/shared';

/**
 * One row of a member import (from a previous system), as typed by a person in Excel. Headers are
 * accepted in Chinese or English; amounts are in yuan (元) as people write them, converted to fen.
 */
export interface ImportRow {
  name: string;
  phone: string | null;
  gender: Gender;
  birthday: string | null;
  idCardNo: string | null;
  storeCode: string | null;
  tags: string[];
  principalFen: number;
  bonusFen: number;
  points: number;
  validUntil: string | null;
  legacyNo: string | null;
  remark: string;
}

const HEADERS: Record<string, keyof ImportRow> = {
  姓名: 'name', name: 'name',
  手机: 'phone', 手机号: 'phone', phone: 'phone',
  性别: 'gender', gender: 'gender',
  生日: 'birthday', birthday: 'birthday',
  身份证: 'idCardNo', 身份证号: 'idCardNo', idcardno: 'idCardNo', id_card_no: 'idCardNo',
  门店编码: 'storeCode', 门店: 'storeCode', storecode: 'storeCode', store_code: 'storeCode',
  标签: 'tags', tags: 'tags',
  储值余额: 'principalFen', 余额: 'principalFen', 本金: 'principalFen', balance: 'principalFen', principal: 'principalFen',
  赠送余额: 'bonusFen', 赠送金: 'bonusFen', bonus: 'bonusFen',
  积分: 'points', points: 'points',
  有效期: 'validUntil', validuntil: 'validUntil', valid_until: 'validUntil',
  原卡号: 'legacyNo', 卡号: 'legacyNo', 会员号: 'legacyNo', legacyno: 'legacyNo', card_no: 'legacyNo',
  备注: 'remark', remark: 'remark',
};

export function mapHeader(header: string): keyof ImportRow | null {
  return HEADERS[header.trim().toLowerCase()] ?? HEADERS[header.trim()] ?? null;
}

const GENDER_WORDS: Record<string, Gender> = { 男: 'male', 女: 'female', 未知: 'unknown', m: 'male', f: 'female' };
const DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;

function normaliseDate(text: string): string | null {
  const m = DATE.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

export function parseImportRow(record: Partial<Record<keyof ImportRow, string>>): { row?: ImportRow; errors: { field: string; message: string }[] } {
  const errors: { field: string; message: string }[] = [];
  const text = (k: keyof ImportRow) => (record[k] ?? '').toString().trim();
  const name = text('name');
  if (!name || name.length > 40) errors.push({ field: 'name', message: '姓名必填，最多 40 字 / name is required (≤ 40)' });
  const phone = text('phone') || null;
  if (phone && !/^1\d{10}$/.test(phone)) errors.push({ field: 'phone', message: '手机号须为 11 位 / phone must have 11 digits' });
  const genderText = text('gender').toLowerCase();
  const gender: Gender | undefined =
    genderText === '' ? 'unknown' : GENDER_WORDS[genderText] ?? ((GENDERS as readonly string[]).includes(genderText) ? (genderText as Gender) : undefined);
  if (!gender) errors.push({ field: 'gender', message: '性别须为 男/女 / gender must be male or female' });
  const birthdayText = text('birthday');
  const birthday = birthdayText ? normaliseDate(birthdayText) : null;
  if (birthdayText && !birthday) errors.push({ field: 'birthday', message: '生日格式须为 YYYY-MM-DD / birthday must be YYYY-MM-DD' });
  const validText = text('validUntil');
  const validUntil = validText ? normaliseDate(validText) : null;
  if (validText && !validUntil) errors.push({ field: 'validUntil', message: '有效期格式须为 YYYY-MM-DD / validUntil must be YYYY-MM-DD' });
  const idCardNo = text('idCardNo').toUpperCase() || null;
  const money = (k: 'principalFen' | 'bonusFen') => {
    const raw = text(k);
    if (!raw) return 0;
    const fen = yuanToFen(raw);
    if (fen === null || fen < 0) {
      errors.push({ field: k, message: '金额须为不小于 0 的元，最多两位小数 / amount must be yuan ≥ 0 with at most 2 decimals' });
      return 0;
    }
    return fen;
  };
  const principalFen = money('principalFen');
  const bonusFen = money('bonusFen');
  const pointsText = text('points');
  const points = pointsText ? Number(pointsText) : 0;
  if (!Number.isSafeInteger(points) || points < 0) errors.push({ field: 'points', message: '积分须为非负整数 / points must be a whole number ≥ 0' });
  const tags = text('tags')
    .split(/[;|；，、]/)
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.some((t) => t.length > 20)) errors.push({ field: 'tags', message: '标签最多 20 字 / tags are at most 20 characters' });
  if (errors.length) return { errors };
  return {
    row: {
      name,
      phone,
      gender: gender!,
      birthday,
      idCardNo,
      storeCode: text('storeCode') || null,
      tags: [...new Set(tags)],
      principalFen,
      bonusFen,
      points,
      validUntil,
      legacyNo: text('legacyNo') || null,
      remark: text('remark').slice(0, 200),
    },
    errors,
  };
}
