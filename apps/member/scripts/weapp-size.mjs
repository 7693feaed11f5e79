// Reports the weapp main package size against WeChat's 2 MB limit (every subpackage is counted
// apart: WeChat downloads them on first use). Fails when the main package is over the limit.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const dist = join(import.meta.dirname, '..', 'dist', 'weapp');
const LIMIT = 2 * 1024 * 1024;
const app = JSON.parse(readFileSync(join(dist, 'app.json'), 'utf8'));
const roots = (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/\/$/, ''));

const sizes = { main: 0 };
for (const r of roots) sizes[r] = 0;
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) walk(path);
    else if (!name.endsWith('.LICENSE.txt') && !name.endsWith('.map')) {
      const top = relative(dist, path).split(sep)[0];
      sizes[roots.includes(top) ? top : 'main'] += st.size;
    }
  }
})(dist);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`weapp main package ${kb(sizes.main)} of WeChat's 2048 KB limit (${((sizes.main / LIMIT) * 100).toFixed(1)}%)`);
for (const r of roots) console.log(`  subpackage ${r}: ${kb(sizes[r])}`);
if (sizes.main > LIMIT) {
  console.error('✗ the weapp main package is over 2 MB: move pages into subpackages');
  process.exit(1);
}
