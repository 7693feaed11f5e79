// npm run bench [name…]: runs the named benchmarks (file names without .mjs), or all of them.
import { readdirSync } from 'node:fs';

const all = readdirSync(import.meta.dirname).filter((f) => f.endsWith('.mjs') && !['run.mjs', 'lib.mjs'].includes(f)).map((f) => f.replace(/\.mjs$/, ''));
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`no benchmark ${name}; have: ${all.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name}`);
  const mod = await import(`./${name}.mjs`);
  await mod.run();
}
process.exit(0);
