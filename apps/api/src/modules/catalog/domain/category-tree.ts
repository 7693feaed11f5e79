export interface CategoryLink {
  id: string;
  parentId: string | null;
}

/** The category and its ancestors, nearest first (奶茶 → 饮品 → …), for scope matching of promotions. */
export function lineageOf(id: string, parents: ReadonlyMap<string, string | null>): string[] {
  const out: string[] = [];
  for (let at: string | null | undefined = id; at && !out.includes(at); at = parents.get(at)) out.push(at);
  return out;
}

/** True when putting `id` under `newParentId` would make it its own ancestor. */
export function wouldCycle(id: string, newParentId: string | null, parents: ReadonlyMap<string, string | null>): boolean {
  return newParentId !== null && lineageOf(newParentId, parents).includes(id);
}

export type Tree<T> = T & { children: Tree<T>[] };

/** Nests rows under their parents, keeping the order they come in (callers sort by sort order, name). */
export function buildTree<T extends CategoryLink>(rows: readonly T[]): Tree<T>[] {
  const nodes = new Map<string, Tree<T>>(rows.map((r) => [r.id, { ...r, children: [] }]));
  const roots: Tree<T>[] = [];
  for (const r of rows) {
    const node = nodes.get(r.id)!;
    const parent = r.parentId ? nodes.get(r.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
