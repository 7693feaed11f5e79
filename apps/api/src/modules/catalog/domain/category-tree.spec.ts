import fc from 'fast-check';
import { buildTree, lineageOf, wouldCycle, type CategoryLink } from './category-tree';

const parents = new Map<string, string | null>([
  ['drinks', null],
  ['milk-tea', 'drinks'],
  ['pearl', 'milk-tea'],
  ['snacks', null],
]);

describe('category tree', () => {
  it('gives a category and its ancestors, nearest first', () => {
    expect(lineageOf('pearl', parents)).toEqual(['pearl', 'milk-tea', 'drinks']);
    expect(lineageOf('snacks', parents)).toEqual(['snacks']);
  });

  it('refuses moves under oneself or a descendant, allows the rest', () => {
    expect(wouldCycle('drinks', 'pearl', parents)).toBe(true);
    expect(wouldCycle('drinks', 'drinks', parents)).toBe(true);
    expect(wouldCycle('pearl', 'snacks', parents)).toBe(false);
    expect(wouldCycle('pearl', null, parents)).toBe(false);
  });

  it('nests every row exactly once under its parent, in the given order', () => {
    const tree = buildTree([...parents].map(([id, parentId]) => ({ id, parentId })));
    expect(tree.map((n) => n.id)).toEqual(['drinks', 'snacks']);
    expect(tree[0].children[0].children.map((n) => n.id)).toEqual(['pearl']);
  });

  it('keeps every node of any acyclic forest', () => {
    const forest = fc.integer({ min: 1, max: 30 }).chain((n) =>
      fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(null) : fc.option(fc.integer({ min: 0, max: i - 1 }), { nil: null })))),
    );
    fc.assert(
      fc.property(forest, (ps) => {
        const rows: CategoryLink[] = ps.map((p, i) => ({ id: `c${i}`, parentId: p === null ? null : `c${p}` }));
        const count = (nodes: ReturnType<typeof buildTree<CategoryLink>>): number => nodes.reduce((n, x) => n + 1 + count(x.children), 0);
        expect(count(buildTree(rows))).toBe(rows.length);
        const map = new Map(rows.map((r) => [r.id, r.parentId]));
        for (const r of rows) {
          const line = lineageOf(r.id, map);
          line.slice(1).forEach((ancestor, i) => expect(map.get(line[i])).toBe(ancestor));
          expect(map.get(line.at(-1)!)).toBeNull();
        }
      }),
    );
  });
});
