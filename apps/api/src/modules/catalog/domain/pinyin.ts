import { pinyin } from 'pinyin-pro';

export interface SearchKeys {
  /** First letter of each Chinese character's pinyin; other letters and digits kept whole (可口可乐330ml → kkkl330ml). */
  initials: string;
  /** Full pinyin without tones or separators (珍珠奶茶 → zhenzhunaicha); other letters and digits kept. */
  full: string;
  /**
   * The full pinyin from each syllable on, space-led (" zhenzhunaicha zhunaicha naicha cha"), so
   * that a term matches full pinyin only from the start of a syllable: "naicha" finds 珍珠奶茶 but
   * "nc" does not find 洗剪吹 (xijia-nc-hui).
   */
  search: string;
}

const SEGMENTS = /\p{Script=Han}|[^\p{Script=Han}]+/gu;
const HAN = /^\p{Script=Han}$/u;

/**
 * The pinyin search keys of a product name, stored beside it so that "zznc" or "naicha" find
 * 珍珠奶茶 by an indexed query. The whole name goes to pinyin-pro at once, so polyphones take the
 * reading of their context (重庆 → chongqing, 银行 → yinhang). Everything is lower-cased and
 * reduced to [a-z0-9] (ü as v), so that a search never depends on spaces, punctuation or case.
 */
export function searchKeys(name: string): SearchKeys {
  const text = name.normalize('NFKC');
  const segments = text.match(SEGMENTS) ?? [];
  // One item per Chinese character and one per run of anything else, as the segments are cut.
  let syllables = pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
  if (syllables.length !== segments.length) syllables = segments.map((s) => (HAN.test(s) ? pinyin(s, { toneType: 'none', v: true }) : s));
  const parts = segments.map((segment, i) => ({ han: HAN.test(segment), text: clean(syllables[i]) })).filter((p) => p.text);
  const initials = parts.map((p) => (p.han ? p.text.slice(0, 1) : p.text)).join('');
  const full = parts.map((p) => p.text).join('');
  const search = parts.map((_, i) => ` ${parts.slice(i).map((p) => p.text).join('')}`).join('');
  return { initials, full, search };
}

/** A search term as it is compared with the stored keys. */
export function normaliseSearchTerm(q: string): string {
  return clean(q.normalize('NFKC'));
}

function clean(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}
