/**
 * Search grams (检索片段): the characters and adjacent pairs of characters of a product's name, of
 * its pinyin initials and of its full pinyin, each kind with its own prefix, kept in one text[]
 * column with a GIN index. A search term becomes the grams it must contain — itself when it is one
 * character, else its pairs — so "contains" is an indexed `@>` for every length, including the
 * one- and two-character terms (奶茶, nc) that trigram indexes cannot serve; the exact LIKE beside
 * it rechecks the few candidates.
 */
export const GRAM_PREFIX = { name: 'n:', initials: 'i:', pinyin: 'p:' } as const;
export type GramKind = keyof typeof GRAM_PREFIX;

/** How names and terms are compared: NFKC (full-width → ASCII) and lower case, as ILIKE would. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Every character and every adjacent pair of `text`, prefixed by kind. */
export function gramsOf(kind: GramKind, text: string): string[] {
  const chars = [...text];
  const out = new Set<string>();
  chars.forEach((c, i) => {
    out.add(GRAM_PREFIX[kind] + c);
    if (i + 1 < chars.length) out.add(GRAM_PREFIX[kind] + c + chars[i + 1]);
  });
  return [...out];
}

/** The grams a stored text must hold to contain `term`: the term itself if one character, else its pairs. */
export function termGrams(kind: GramKind, term: string): string[] {
  const chars = [...term];
  if (chars.length === 1) return [GRAM_PREFIX[kind] + term];
  return [...new Set(chars.slice(1).map((c, i) => GRAM_PREFIX[kind] + chars[i] + c))];
}

/** The grams of a product: its folded name, its pinyin initials and its full pinyin. */
export function productGrams(name: string, keys: { initials: string; full: string }): string[] {
  return [...gramsOf('name', foldForSearch(name)), ...gramsOf('initials', keys.initials), ...gramsOf('pinyin', keys.full)];
}
