import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';

/**
 * nest-cli.json is part of the layout (architecture §2) and is kept true by this spec (ADR 0031): every folder under
 * apps/ and libs/ with a `src/main.ts` (an application) or `src/index.ts` (a library) is a project there, every
 * project names such a folder, with `sourceRoot` = `<root>/src` and an `entryFile` that exists; a library's name is
 * its import alias in package.json (`#<name>` → `<sourceRoot>/index.ts`).
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Folders under apps/ or libs/ that have a `src/` but are not Nest projects, with the reason. */
const NOT_NEST_PROJECTS: Readonly<Record<string, string>> = {
  'apps/console': 'the web console is a Vite + React app (src/main.tsx), built by vite, not by the Nest CLI',
};

interface NestProject {
  readonly type?: unknown;
  readonly root?: unknown;
  readonly sourceRoot?: unknown;
  readonly entryFile?: unknown;
}

interface NestCli {
  readonly monorepo?: unknown;
  readonly root?: unknown;
  readonly sourceRoot?: unknown;
  readonly projects?: Readonly<Record<string, NestProject>>;
}

/** What the checks need to know about the tree, so they can be run against a changed copy of the config. */
interface Tree {
  /** Folders (relative, `/`-separated) under apps/ and libs/ that have a `src/` folder. */
  readonly packages: readonly string[];
  exists(path: string): boolean;
  /** package.json `imports`: alias → the `types` path (without `./`). */
  readonly aliases: Readonly<Record<string, string>>;
}

function readTree(): Tree {
  const packages: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const folder = `${dir}/${entry.name}`;
      // A folder with src/ is a package; one without is a group (libs/adapters, libs/connectors): look inside.
      if (existsSync(join(root, folder, 'src'))) packages.push(folder);
      else walk(folder);
    }
  };
  walk('apps');
  walk('libs');
  const imports = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { imports: object })
    .imports as Record<string, string | { types?: string }>;
  const aliases = Object.fromEntries(
    Object.entries(imports).map(([alias, target]) => [
      alias,
      (typeof target === 'string' ? target : (target.types ?? '')).replace(/^\.\//, ''),
    ]),
  );
  return { packages, exists: (path) => existsSync(join(root, path)), aliases };
}

function readNestCli(): NestCli {
  return JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')) as NestCli;
}

/** Every way the config and the tree disagree, one line each; empty when nest-cli.json is true. */
function nestCliProblems(config: NestCli, tree: Tree): string[] {
  const problems: string[] = [];
  const projects = Object.entries(config.projects ?? {});
  const byRoot = new Map<string, string>();
  for (const [name, project] of projects) {
    const { type, root: projectRoot, sourceRoot, entryFile } = project;
    if (typeof projectRoot !== 'string' || !tree.exists(projectRoot)) {
      problems.push(`project ${name}: root ${String(projectRoot)} does not exist`);
      continue;
    }
    const other = byRoot.get(projectRoot);
    if (other) problems.push(`projects ${other} and ${name} share the root ${projectRoot}`);
    byRoot.set(projectRoot, name);
    if (sourceRoot !== `${projectRoot}/src`) {
      problems.push(`project ${name}: sourceRoot ${String(sourceRoot)} is not ${projectRoot}/src`);
    }
    const expected = type === 'application' ? 'main' : type === 'library' ? 'index' : null;
    if (expected === null)
      problems.push(`project ${name}: type ${String(type)} is neither application nor library`);
    if (type === 'application' && !projectRoot.startsWith('apps/')) {
      problems.push(`project ${name}: an application outside apps/ (${projectRoot})`);
    }
    if (type === 'library' && !projectRoot.startsWith('libs/')) {
      problems.push(`project ${name}: a library outside libs/ (${projectRoot})`);
    }
    if (typeof entryFile !== 'string' || !tree.exists(`${projectRoot}/src/${entryFile}.ts`)) {
      problems.push(`project ${name}: entryFile ${String(entryFile)} is not a file in ${projectRoot}/src`);
    } else if (expected !== null && entryFile !== expected) {
      problems.push(`project ${name}: entryFile ${entryFile}, expected ${expected} for a ${String(type)}`);
    }
    if (type === 'library' && tree.aliases[`#${name}`] !== `${projectRoot}/src/index.ts`) {
      problems.push(`project ${name}: package.json has no import #${name} → ${projectRoot}/src/index.ts`);
    }
  }
  for (const folder of tree.packages) {
    if (folder in NOT_NEST_PROJECTS) continue;
    const hasEntry = tree.exists(`${folder}/src/main.ts`) || tree.exists(`${folder}/src/index.ts`);
    if (!hasEntry) problems.push(`${folder} has a src/ without main.ts or index.ts`);
    else if (!byRoot.has(folder)) problems.push(`${folder} is missing from nest-cli.json`);
  }
  if (config.monorepo !== true) problems.push('nest-cli.json is not a monorepo');
  const defaultProject = projects.find(([, p]) => p.root === config.root);
  if (!defaultProject || defaultProject[1].sourceRoot !== config.sourceRoot) {
    problems.push(`the top-level root/sourceRoot (${String(config.root)}) is not a project's`);
  }
  return problems;
}

/** The config with one project left out. */
function without(config: NestCli, name: string): NestCli {
  const projects = Object.fromEntries(Object.entries(config.projects ?? {}).filter(([n]) => n !== name));
  return { ...config, projects };
}

describe('nest-cli.json', () => {
  const tree = readTree();
  const config = readNestCli();

  it('lists every app and lib under apps/ and libs/, each with a sourceRoot and entryFile that exist', () => {
    expect(nestCliProblems(config, tree)).toEqual([]);
  });

  it('covers the grouped libraries and the applications', () => {
    const roots = Object.values(config.projects ?? {}).map((p) => p.root);
    for (const folder of ['libs/adapters/csv', 'libs/connectors/duo-rod', 'libs/testing', 'libs/runtime']) {
      assert.ok(roots.includes(folder), folder);
    }
    assert.ok(tree.packages.length >= 25, `found only ${tree.packages.length} packages`);
  });

  it('fails when any one project is left out, naming its folder', () => {
    for (const [name, project] of Object.entries(config.projects ?? {})) {
      if (project.root === config.root) continue; // leaving out the default project is caught too, below
      expect(nestCliProblems(without(config, name), tree)).toEqual([
        `${String(project.root)} is missing from nest-cli.json`,
      ]);
    }
    assert.ok(
      nestCliProblems(without(config, 'gateway'), tree).includes(
        'apps/gateway is missing from nest-cli.json',
      ),
    );
  });

  it('fails when it names a project that does not exist', () => {
    const ghost = {
      ...config,
      projects: {
        ...config.projects,
        ghost: { type: 'library', root: 'libs/ghost', entryFile: 'index', sourceRoot: 'libs/ghost/src' },
      },
    };
    expect(nestCliProblems(ghost, tree)).toEqual(['project ghost: root libs/ghost does not exist']);
  });

  it('fails when a sourceRoot or entryFile does not match the files', () => {
    const domain = config.projects?.['domain'];
    assert.ok(domain);
    const wrongSource = {
      ...config,
      projects: { ...config.projects, domain: { ...domain, sourceRoot: 'libs/domain' } },
    };
    expect(nestCliProblems(wrongSource, tree)).toEqual([
      'project domain: sourceRoot libs/domain is not libs/domain/src',
    ]);
    const wrongEntry = {
      ...config,
      projects: { ...config.projects, domain: { ...domain, entryFile: 'main' } },
    };
    expect(nestCliProblems(wrongEntry, tree)).toEqual([
      'project domain: entryFile main is not a file in libs/domain/src',
    ]);
  });
});
