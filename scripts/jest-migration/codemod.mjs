#!/usr/bin/env node
// Rewrites ketenpoort's node:test specs for Jest (ESM) with @jest/globals — ADR 0030, issue 17 item 4.
//   node scripts/jest-migration/codemod.mjs <repo-root> [--check]
// Idempotent: a second run finds nothing to change. --check changes nothing and exits 1 if a file would change.
// Uses the `typescript` package from the repo's node_modules to find the call sites and writes text edits, so
// formatting and comments stay as they are (run prettier afterwards only if a line got too long).
//
// What it rewrites, per file (*.spec.ts, *.int-spec.ts, *.e2e-spec.ts, *.server-spec.ts, *.browser-spec.ts,
// *.abuse-spec.ts, *.test-support.ts under apps/ libs/ test/):
//   - `import { … } from 'node:test'` → `import { … } from '@jest/globals'` (before → beforeAll, after → afterAll,
//     suite → describe, test stays test; `expect` added when the file uses it); the calls are renamed too;
//   - assert.deepEqual / assert.deepStrictEqual(a, b[, message]) → expect(a).toEqual(b) (the message kept as a
//     comment): node's strict deep equality compares prototypes, which differ across Jest's VM realm for values
//     Node's core makes; assert.notDeepEqual / notDeepStrictEqual → expect(a).not.toEqual(b);
//   - node:test options objects: it/test(name, { skip, todo, only, timeout, concurrency }, fn),
//     describe(name, { … }, fn), before/after/beforeEach/afterEach(fn, { timeout }) → it.skip / it.todo / it.only,
//     the timeout as Jest's third (hooks: second) argument, concurrency dropped (Jest runs a file's tests one after
//     another, as node:test does by default); a describe skipped with a reason (a string, or a const initialised
//     with one) gets the reason in its title as `[skipped: <reason>]`, which scripts/run-tests.mjs reads back into
//     the closing line, and an empty skipped body gets one placeholder test (Jest fails a file without tests);
//   - a test or hook function's unused context parameter (`(t) =>`, `(_t) =>`) is dropped: Jest would take a
//     first parameter as the `done` callback and wait for it;
//   - `node:assert/strict` imports left unused by the rewrite are removed;
//   - in the READMEs under apps/ and libs/: `node --test <files>` → `node scripts/run-tests.mjs <files>`.
// Anything it cannot rewrite safely (a used test context `t`, `mock` from node:test, an async describe body, an
// option it does not know, assert.deepEqual used as a value) is listed under "needs a hand edit" and left alone.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const args = process.argv.slice(2);
const check = args.includes('--check');
const root = resolve(args.find((a) => !a.startsWith('--')) ?? '.');
if (!existsSync(join(root, 'package.json'))) {
  console.error(
    `usage: node scripts/jest-migration/codemod.mjs <repo-root> [--check]  (no package.json in ${root})`,
  );
  process.exit(2);
}
const requireFromRepo = createRequire(join(root, 'package.json'));
const ts = requireFromRepo('typescript');
// The repo's prettier formats the changed files (a rewritten assertion can outgrow the line width).
const prettier = requireFromRepo('prettier');

const SUFFIXES = [
  '.spec.ts',
  '.int-spec.ts',
  '.e2e-spec.ts',
  '.server-spec.ts',
  '.browser-spec.ts',
  '.abuse-spec.ts',
  '.test-support.ts',
];
const RENAME = { before: 'beforeAll', after: 'afterAll', suite: 'describe' };
const KNOWN = new Set(['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach', 'suite']);
const TESTS = new Set(['it', 'test']);
const SUITES = new Set(['describe']);
const HOOKS = new Set(['beforeAll', 'afterAll', 'beforeEach', 'afterEach']);

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (SUFFIXES.some((s) => name.endsWith(s))) out.push(path);
  }
  return out;
}

const files = ['apps', 'libs', 'test']
  .map((d) => join(root, d))
  .filter((d) => existsSync(d))
  .flatMap(walk)
  .sort();

const totals = {};
const count = (kind, n = 1) => (totals[kind] = (totals[kind] ?? 0) + n);
const handEdits = [];
let changedFiles = 0;

for (const file of files) {
  const before = readFileSync(file, 'utf8');
  let after = rewrite(file, before);
  if (after !== before)
    after = await prettier.format(after, { ...(await prettier.resolveConfig(file)), filepath: file });
  if (after !== before) {
    changedFiles++;
    if (!check) writeFileSync(file, after);
  }
}

// The READMEs' commands for running one library's specs: `node --test <files>` → the runner with the same files
// (Jest takes them as path patterns; the default tier covers unit and integration specs).
const DOC_EDITS = [
  [
    /\bnode (?:--enable-source-maps )?--test (?=\S)/g,
    'node scripts/run-tests.mjs ',
    'README: node --test → run-tests.mjs',
  ],
  [
    /Specs may also use `node:test` and fast-check\./g,
    'Specs may also use `@jest/globals` and fast-check.',
    'README: node:test named',
  ],
];
const docs = ['apps', 'libs']
  .map((d) => join(root, d))
  .filter((d) => existsSync(d))
  .flatMap(function md(dir) {
    return readdirSync(dir).flatMap((name) => {
      if (name === 'node_modules' || name.startsWith('.')) return [];
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return md(path);
      return name.endsWith('.md') ? [path] : [];
    });
  })
  .sort();
for (const file of docs) {
  const before = readFileSync(file, 'utf8');
  let after = before;
  for (const [pattern, replacement, kind] of DOC_EDITS) {
    after = after.replace(pattern, () => {
      count(kind);
      return replacement;
    });
  }
  if (after !== before) {
    changedFiles++;
    if (!check) writeFileSync(file, after);
  }
}

// ESLint: the no-floating-promises exception for node:test's functions (kept by the infra commit until the specs
// are converted) goes; a node:test `describe` returns a promise, so the rule then flags any that comes back.
const eslintConfig = join(root, 'eslint.config.js');
if (existsSync(eslintConfig)) {
  const before = readFileSync(eslintConfig, 'utf8');
  const after = before.replace(
    /\n *\/\/ node:test: until the specs are converted[^\n]*\n *\{\n *from: 'package',\n *package: 'node:test',\n[^\n]*\n *\},/,
    () => {
      count('eslint.config.js: node:test exception removed');
      return '';
    },
  );
  if (after !== before) {
    changedFiles++;
    if (!check) writeFileSync(eslintConfig, after);
  }
}

console.log(
  `jest-codemod: ${files.length + docs.length + 1} files scanned, ${changedFiles} ${check ? 'would change' : 'changed'}`,
);
for (const [kind, n] of Object.entries(totals).sort()) console.log(`  ${kind}: ${n}`);
if (handEdits.length > 0) {
  console.log(`needs a hand edit (${handEdits.length}):`);
  for (const h of handEdits) console.log(`  ${h}`);
}
process.exit(check && changedFiles > 0 ? 1 : 0);

// ---------------------------------------------------------------------------------------------------------------

function rewrite(file, text) {
  const rel = relative(root, file);
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits = [];
  const edit = (start, end, replacement) => edits.push({ start, end, replacement });
  const where = (node) => `${rel}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
  const src = (node) => text.slice(node.getStart(sf), node.end);

  // 1. The node:test import.
  let testImport;
  let assertName;
  let assertImport;
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const from = st.moduleSpecifier.text;
    if (from === 'node:test' || from === 'test') testImport = st;
    if ((from === 'node:assert/strict' || from === 'node:assert') && st.importClause?.name) {
      assertName = st.importClause.name.text;
      assertImport = st;
    }
  }
  // Local names of the test functions (after the rewrite): node:test's imported names, or, when the file was
  // already converted, @jest/globals' names.
  const local = new Map(); // local identifier → jest name
  let jestImport;
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    if (st.moduleSpecifier.text === '@jest/globals') jestImport = st;
  }
  const imported = new Set();
  if (testImport) {
    const bindings = testImport.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings) || testImport.importClause.name) {
      handEdits.push(`${where(testImport)}: node:test imported other than by name`);
      return text;
    }
    for (const el of bindings.elements) {
      const name = (el.propertyName ?? el.name).text;
      const as = el.name.text;
      if (name === 'mock') {
        handEdits.push(`${where(el)}: mock from node:test (use jest.fn / jest.spyOn from @jest/globals)`);
        return text;
      }
      if (!KNOWN.has(name)) {
        handEdits.push(`${where(el)}: ${name} from node:test has no rewrite`);
        return text;
      }
      const target = RENAME[name] ?? name;
      if (as !== name) {
        handEdits.push(`${where(el)}: node:test import renamed (${name} as ${as})`);
        return text;
      }
      local.set(as, target);
      imported.add(target);
    }
  } else if (jestImport) {
    const bindings = jestImport.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings))
      for (const el of bindings.elements) local.set(el.name.text, el.name.text);
  }

  let usesExpect = false;
  const messages = []; // assertion messages turned into comments
  let assertUsesLeft = 0;
  let assertUsesRemoved = 0;

  const visit = (node) => {
    if (ts.isCallExpression(node)) onCall(node);
    if (
      assertName &&
      ts.isIdentifier(node) &&
      node.text === assertName &&
      node.parent !== assertImport?.importClause &&
      !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) &&
      !(ts.isPropertyAssignment(node.parent) && node.parent.name === node)
    )
      assertUsesLeft++;
    if (
      ts.isPropertyAccessExpression(node) &&
      isAssert(node.expression) &&
      !ts.isCallExpression(node.parent)
    ) {
      if (/^(not)?Deep(Strict)?Equal$/i.test(node.name.text) || /^deep/.test(node.name.text))
        handEdits.push(`${where(node)}: ${src(node)} used as a value`);
    }
    ts.forEachChild(node, visit);
  };

  function isAssert(expr) {
    return assertName !== undefined && ts.isIdentifier(expr) && expr.text === assertName;
  }

  function calleeName(call) {
    // it, it.skip, describe.only … → ['it', 'skip'] (local names)
    const e = call.expression;
    if (ts.isIdentifier(e)) return [e.text, undefined, e];
    if (
      ts.isPropertyAccessExpression(e) &&
      ts.isIdentifier(e.expression) &&
      ['skip', 'only', 'todo'].includes(e.name.text)
    )
      return [e.expression.text, e.name.text, e.expression];
    return [undefined];
  }

  function onCall(call) {
    const e = call.expression;
    // assert.deepEqual & co.
    if (ts.isPropertyAccessExpression(e) && isAssert(e.expression)) {
      const m = e.name.text;
      const positive = m === 'deepEqual' || m === 'deepStrictEqual';
      const negative = m === 'notDeepEqual' || m === 'notDeepStrictEqual';
      if ((positive || negative) && call.arguments.length >= 2 && !call.arguments.some(ts.isSpreadElement)) {
        const [a, b, msg] = call.arguments;
        // Head, middle and tail edits only, so rewrites nested in the arguments do not overlap.
        edit(call.getStart(sf), a.getStart(sf), 'expect(');
        edit(a.end, b.getStart(sf), `).${negative ? 'not.' : ''}toEqual(`);
        let tail = ')';
        let trailing = '';
        if (msg) {
          const note = src(msg)
            .replace(/\s*\n\s*/g, ' ')
            .replace(/\*\//g, '*\\/');
          if (ts.isExpressionStatement(call.parent)) trailing = ` // ${note}`;
          else tail += ` /* ${note} */`;
          count('assertion messages kept as comments');
          messages.push(msg);
        }
        edit(b.end, call.end, tail);
        if (trailing) edit(call.parent.end, call.parent.end, trailing);
        usesExpect = true;
        assertUsesRemoved++;
        count(negative ? 'assert.notDeepEqual → expect().not.toEqual' : `assert.${m} → expect().toEqual`);
      }
      return;
    }
    const [name, member, id] = calleeName(call);
    if (!name || !local.has(name)) return;
    const jestName = local.get(name);
    if (member && HOOKS.has(jestName)) return;
    const args = call.arguments;
    const withOptions =
      (TESTS.has(jestName) || SUITES.has(jestName)) &&
      args.length >= 2 &&
      ts.isObjectLiteralExpression(args[1]);
    // Rename before/after (the callee only: locals called `before` hold values, not functions).
    if (name !== jestName && !withOptions) {
      edit(id.getStart(sf), id.end, jestName);
      count(`${name} → ${jestName}`);
    }
    if (TESTS.has(jestName) || SUITES.has(jestName)) {
      const replacedBody = withOptions ? options(call, jestName, member, args) : false;
      const fn = args.find((a, i) => i > 0 && isFunction(a));
      if (fn && !replacedBody) contextParam(fn, jestName);
      if (SUITES.has(jestName) && fn && fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword))
        handEdits.push(`${where(call)}: async describe body (Jest collects tests synchronously)`);
    } else if (HOOKS.has(jestName)) {
      if (args.length >= 2 && ts.isObjectLiteralExpression(args[1])) hookOptions(call, args);
      if (args[0] && isFunction(args[0])) contextParam(args[0], jestName);
    }
  }

  function isFunction(n) {
    return ts.isArrowFunction(n) || ts.isFunctionExpression(n);
  }

  function contextParam(fn, kind) {
    if (fn.parameters.length === 0) return;
    const p = fn.parameters[0];
    if (fn.parameters.length === 1 && ts.isIdentifier(p.name)) {
      const pname = p.name.text;
      let used = false;
      const scan = (n) => {
        if (used) return;
        if (ts.isIdentifier(n) && n.text === pname && n !== p.name) {
          const parent = n.parent;
          if (!(ts.isPropertyAccessExpression(parent) && parent.name === n)) used = true;
        }
        ts.forEachChild(n, scan);
      };
      scan(fn.body);
      if (!used) {
        // `(t) =>`, `t =>`, `async (_t) =>`, `function (t)`: remove the parameter, keep the parentheses.
        const open = text.lastIndexOf('(', p.getStart(sf));
        const hasParens = open >= fn.getStart(sf) && text.slice(open + 1, p.getStart(sf)).trim() === '';
        if (hasParens) {
          const close = text.indexOf(')', p.end);
          edit(open + 1, close, '');
        } else edit(p.getStart(sf), p.end, '()');
        count(`unused test context parameter removed (${kind})`);
        return;
      }
    }
    handEdits.push(
      `${where(fn)}: ${kind} callback uses its test context (${src(p)}); Jest passes \`done\` there`,
    );
  }

  function props(obj) {
    const out = {};
    for (const p of obj.properties) {
      if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
        out[p.name.text] = p.initializer;
      else if (ts.isShorthandPropertyAssignment(p)) out[p.name.text] = p.name;
      else return undefined;
    }
    return out;
  }

  function stringValue(expr) {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr))
      return { text: expr.text, literal: true };
    if (ts.isIdentifier(expr)) {
      // const NAME = 'reason' at the top level of the file.
      for (const st of sf.statements) {
        if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
        for (const d of st.declarationList.declarations) {
          if (
            ts.isIdentifier(d.name) &&
            d.name.text === expr.text &&
            d.initializer &&
            ts.isStringLiteral(d.initializer)
          )
            return { text: d.initializer.text, literal: false, name: expr.text };
        }
      }
    }
    return undefined;
  }

  function options(call, jestName, member, args) {
    const opts = props(args[1]);
    const [title] = args;
    const fn = args[2];
    if (!opts || member) {
      handEdits.push(`${where(call)}: options object not understood`);
      return true;
    }
    const unknown = Object.keys(opts).filter(
      (k) => !['skip', 'todo', 'only', 'timeout', 'concurrency'].includes(k),
    );
    if (unknown.length > 0) {
      handEdits.push(`${where(call)}: node:test option(s) ${unknown.join(', ')} have no rewrite`);
      return true;
    }
    let calleeText = jestName;
    let titleText = src(title);
    let body = fn ? src(fn) : undefined;
    const trueLit = (x) => x && x.kind === ts.SyntaxKind.TrueKeyword;
    const falseLit = (x) => x && x.kind === ts.SyntaxKind.FalseKeyword;
    if (opts.skip && !falseLit(opts.skip)) {
      const reason = trueLit(opts.skip) ? undefined : stringValue(opts.skip);
      if (!trueLit(opts.skip) && !reason) {
        calleeText = `(${src(opts.skip)} ? ${jestName}.skip : ${jestName})`;
      } else {
        calleeText = `${jestName}.skip`;
        if (reason) {
          // The reason goes into the title, where run-tests.mjs finds it: `<title> [skipped: <reason>]`.
          const r = reason.name ? `\${${reason.name}}` : reason.text.replace(/[`\\$]/g, (c) => `\\${c}`);
          const inner =
            ts.isStringLiteral(title) || ts.isNoSubstitutionTemplateLiteral(title)
              ? title.text.replace(/[`\\$]/g, (c) => `\\${c}`)
              : `\${${src(title)}}`;
          titleText = `\`${inner} [skipped: ${r}]\``;
        }
      }
      count(`${jestName} { skip } → ${jestName}.skip`);
      if (SUITES.has(jestName) && fn && isEmptyBody(fn)) {
        body = `() => {\n${indentOf(call)}  it('runs only when not skipped', () => undefined);\n${indentOf(call)}}`;
        count('placeholder test in an empty skipped describe');
      }
    } else if (opts.todo && !falseLit(opts.todo)) {
      calleeText = `${jestName}.todo`;
      count(`${jestName} { todo } → ${jestName}.todo`);
    } else if (opts.only && !falseLit(opts.only)) {
      calleeText = `${jestName}.only`;
      count(`${jestName} { only } → ${jestName}.only`);
    }
    if (opts.concurrency) count('{ concurrency } dropped');
    let tail = '';
    if (opts.timeout) {
      if (SUITES.has(jestName)) {
        handEdits.push(
          `${where(call)}: describe { timeout } (Jest has none per suite; set it per test or in the config)`,
        );
        return true;
      }
      tail = `, ${src(opts.timeout)}`;
      count(`${jestName} { timeout } → third argument`);
    }
    if (calleeText.endsWith('.todo')) {
      edit(call.getStart(sf), call.end, `${calleeText}(${titleText})`);
      return true;
    }
    if (!fn) {
      edit(call.getStart(sf), call.end, `${calleeText}(${titleText}${tail})`);
      return true;
    }
    // Head and tail only, so edits inside the body (assertions, hooks) do not overlap.
    edit(call.getStart(sf), fn.getStart(sf), `${calleeText}(${titleText}, `);
    if (body !== src(fn)) edit(fn.getStart(sf), fn.end, body);
    edit(fn.end, call.end, `${tail})`);
    return body !== src(fn);
  }

  function hookOptions(call, args) {
    const opts = props(args[1]);
    if (!opts || Object.keys(opts).some((k) => k !== 'timeout' && k !== 'signal')) {
      handEdits.push(`${where(call)}: hook options not understood`);
      return;
    }
    if (opts.timeout) {
      edit(args[1].getStart(sf), args[1].end, src(opts.timeout));
      count('hook { timeout } → second argument');
    } else {
      edit(args[0].end, args[1].end, '');
      count('empty hook options dropped');
    }
  }

  function isEmptyBody(fn) {
    if (ts.isBlock(fn.body)) return fn.body.statements.length === 0;
    return (
      fn.body.kind === ts.SyntaxKind.UndefinedKeyword ||
      (ts.isIdentifier(fn.body) && fn.body.text === 'undefined')
    );
  }

  function indentOf(node) {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
    const start = sf.getPositionOfLineAndCharacter(line, 0);
    return /^\s*/.exec(text.slice(start))[0].replace(/\n/g, '');
  }

  visit(sf);

  // A parameter that was used only in assertion messages (now comments) is marked unused: `name` → `_name`.
  for (const msg of messages) {
    const names = new Set();
    const collect = (n) => {
      if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n))
        names.add(n.text);
      ts.forEachChild(n, collect);
    };
    collect(msg);
    for (let fn = msg.parent; fn; fn = fn.parent) {
      if (!ts.isFunctionLike(fn) || !fn.body) continue;
      for (const p of fn.parameters) {
        if (!ts.isIdentifier(p.name) || !names.has(p.name.text) || p.name.text.startsWith('_')) continue;
        let used = false;
        const scan = (n) => {
          if (used || messages.includes(n)) return;
          if (
            ts.isIdentifier(n) &&
            n.text === p.name.text &&
            !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)
          )
            used = true;
          ts.forEachChild(n, scan);
        };
        scan(fn.body);
        if (!used && !edits.some((e) => e.start === p.name.getStart(sf))) {
          edit(p.name.getStart(sf), p.name.getStart(sf), '_');
          count('parameter used only in a message marked unused');
        }
      }
    }
  }

  // The node:test import → @jest/globals (with expect when used).
  if (testImport) {
    const names = new Set(imported);
    if (usesExpect || /\bexpect\(/.test(text.replace(/\.expect\(/g, ''))) names.add('expect');
    edit(
      testImport.getStart(sf),
      testImport.end,
      `import { ${[...names].sort().join(', ')} } from '@jest/globals';`,
    );
    count('node:test import → @jest/globals');
  } else if (usesExpect && jestImport) {
    const bindings = jestImport.importClause.namedBindings;
    const names = bindings.elements.map((e) => e.name.text);
    if (!names.includes('expect')) {
      edit(
        jestImport.getStart(sf),
        jestImport.end,
        `import { ${[...names, 'expect'].sort().join(', ')} } from '@jest/globals';`,
      );
      count('expect added to @jest/globals import');
    }
  } else if (usesExpect && edits.length > 0) {
    // No test import (a *.test-support.ts file): import expect where the first import sits.
    const first = sf.statements.find(ts.isImportDeclaration) ?? sf.statements[0];
    edit(first.getStart(sf), first.getStart(sf), `import { expect } from '@jest/globals';\n`);
    count('expect imported into test support');
  }
  // `assert` left without a use: drop its import (counting identifiers: the removed calls' `assert`s are gone).
  if (assertImport && assertUsesRemoved > 0 && assertUsesLeft - assertUsesRemoved === 0) {
    let end = assertImport.end;
    if (text[end] === '\n') end++;
    edit(assertImport.getStart(sf), end, '');
    count('unused node:assert import removed');
  }

  if (edits.length === 0) return text;
  edits.sort((x, y) => y.start - x.start || y.end - x.end);
  let out = text;
  let last = Infinity;
  for (const { start, end, replacement } of edits) {
    if (end > last) throw new Error(`${rel}: overlapping edits at ${start}`);
    out = out.slice(0, start) + replacement + out.slice(end);
    last = start;
  }
  return out;
}
