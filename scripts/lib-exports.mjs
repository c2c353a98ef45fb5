#!/usr/bin/env node
// Keeps every library README true to its index.ts (issue 17): between the markers
//   <!-- exports:begin --> … <!-- exports:end -->
// each README lists every name its index.ts exports, by the module it comes from.
//   node scripts/lib-exports.mjs          check (exit 1 and name the READMEs that are out of date)
//   node scripts/lib-exports.mjs --write  rewrite the lists
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import ts from 'typescript';

const BEGIN = '<!-- exports:begin -->';
const END = '<!-- exports:end -->';

function libraries() {
  const found = [];
  for (const name of readdirSync('libs').sort()) {
    if (existsSync(`libs/${name}/src/index.ts`)) found.push(`libs/${name}`);
    else if (existsSync(`libs/${name}`) && !name.includes('.')) {
      for (const sub of readdirSync(`libs/${name}`).sort()) {
        if (existsSync(`libs/${name}/${sub}/src/index.ts`)) found.push(`libs/${name}/${sub}`);
      }
    }
  }
  return found;
}

const libs = libraries();
const program = ts.createProgram(
  libs.map((lib) => `${lib}/src/index.ts`),
  {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
  },
);
const checker = program.getTypeChecker();

/** Where an exported name is declared, followed through re-exports: `src/<module>` without its ending. */
function moduleOf(symbol, lib) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const file = target.declarations?.[0]?.getSourceFile().fileName;
  if (!file) return 'index';
  const rel = relative(`${lib}/src`, file).replace(/\.ts$/, '');
  return rel.startsWith('..') ? relative(dirname(lib), file).replace(/\.ts$/, '') : rel;
}

function listing(lib) {
  const index = program.getSourceFile(`${lib}/src/index.ts`);
  const symbol = index && checker.getSymbolAtLocation(index);
  const byModule = new Map();
  for (const exported of symbol ? checker.getExportsOfModule(symbol) : []) {
    const module = moduleOf(exported, lib);
    byModule.set(module, [...(byModule.get(module) ?? []), exported.name]);
  }
  const rows = [...byModule.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([module, names]) =>
        `- \`${module}\`: ${names
          .sort()
          .map((n) => `\`${n}\``)
          .join(', ')}`,
    );
  return [
    BEGIN,
    '',
    'Every name `src/index.ts` exports, by the module that declares it (kept true by `npm run lint`;',
    '`node scripts/lib-exports.mjs --write` rewrites this list).',
    '',
    ...rows,
    '',
    END,
  ].join('\n');
}

const write = process.argv.includes('--write');
const stale = [];
for (const lib of libs) {
  const path = `${lib}/README.md`;
  const readme = existsSync(path) ? readFileSync(path, 'utf8') : `# ${lib}\n`;
  const fresh = listing(lib);
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  const next =
    begin >= 0 && end > begin
      ? readme.slice(0, begin) + fresh + readme.slice(end + END.length)
      : `${readme.trimEnd()}\n\n## Exports\n\n${fresh}\n`;
  if (next === readme) continue;
  if (write) writeFileSync(path, next);
  else stale.push(path);
}
if (stale.length > 0) {
  console.error(
    `README export lists out of date (run node scripts/lib-exports.mjs --write):\n  ${stale.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(`${libs.length} library READMEs list what their index.ts exports`);
