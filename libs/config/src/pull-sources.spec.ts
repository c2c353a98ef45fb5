import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from './configuration-error.js';
import { PULL_SOURCE_DEFAULTS, loadPullSources, parsePullSources } from './pull-sources.js';

const ENV = { SOMTODAY_CLIENT_SECRET: 's3cret-value', MAGISTER_SECRET: 'm-secret' };

const SOMTODAY = `
sources:
  - name: somtoday-99xx
    system: somtoday
    board: BOARD-1
    school: 99XX
    baseUrl: https://api.somtoday.example/
    tokenUrl: https://inloggen.somtoday.example/oauth2/token
    clientId: ketenpoort
    clientSecretEnv: SOMTODAY_CLIENT_SECRET
`;

function problems(text: string, env: Record<string, string> = ENV): string[] {
  try {
    parsePullSources(text, env);
  } catch (error) {
    assert.ok(error instanceof ConfigurationError);
    return [...error.problems];
  }
  assert.fail('expected a ConfigurationError');
}

describe('pull sources file', () => {
  it('no file, or an empty one: no sources', () => {
    expect(loadPullSources(null, ENV)).toEqual([]);
    expect(parsePullSources('', ENV)).toEqual([]);
  });

  it('reads a SOMtoday source with defaults and resolves the secret from the named variable', () => {
    const [source] = parsePullSources(SOMTODAY, ENV);
    assert.equal(source.name, 'somtoday-99xx');
    assert.equal(source.baseUrl, 'https://api.somtoday.example');
    assert.equal(source.clientSecret.reveal(), 's3cret-value');
    assert.equal(source.intervalMs, PULL_SOURCE_DEFAULTS.intervalMinutes * 60_000);
    expect(source.resources).toEqual(['absentiemeldingen', 'waarnemingen']);
    expect(source.windowParams).toEqual({ from: 'begindatum', to: 'einddatum' });
    assert.ok(!JSON.stringify(source).includes('s3cret-value'));
  });

  it('reads JSON too, and a bare list; Magister defaults to van/tot', () => {
    const [source] = parsePullSources(
      JSON.stringify([
        {
          name: 'magister-99xx',
          system: 'magister',
          board: 'B',
          school: '99XX',
          baseUrl: 'https://school.magister.example',
          tokenUrl: 'https://accounts.magister.example/connect/token',
          clientId: 'kp',
          clientSecretEnv: 'MAGISTER_SECRET',
          pupils: [4216, '4217'],
          intervalSeconds: 30,
        },
      ]),
      ENV,
    );
    expect(source.pupils).toEqual(['4216', '4217']);
    assert.equal(source.intervalMs, 30_000);
    expect(source.windowParams).toEqual({ from: 'van', to: 'tot' });
  });

  it('collects every problem, naming keys and variables but never secret values', () => {
    const found = problems(
      `
- name: Bad Name
  system: zermelo
  board: B
  school: nope
  baseUrl: ftp://x
  tokenUrl: https://user:pw@x/token
  clientId: a
  clientSecret: inline-secret
  clientSecretEnv: MISSING_SECRET
  pageSize: 0
  colour: blue
`,
    );
    const text = found.join('\n');
    for (const expected of [
      'sources[0].name',
      'sources[0].system',
      'sources[0].school',
      'sources[0].baseUrl',
      'sources[0].tokenUrl: must not carry credentials',
      'sources[0].clientSecret: never put a secret in the file',
      'MISSING_SECRET is not set',
      'sources[0].pageSize',
      'sources[0].colour: unknown key',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
    }
    assert.ok(!text.includes('inline-secret'));
    assert.ok(!text.includes('pw@'));
  });

  it('a Magister source needs pupils or a pupils path; names are unique', () => {
    const magister = SOMTODAY.replace('system: somtoday', 'system: magister');
    assert.ok(problems(magister).some((p) => p.includes('needs pupils or pupilsPath')));
    const twice = SOMTODAY + SOMTODAY.replace('sources:\n', '');
    assert.ok(problems(twice).some((p) => p.includes('is used twice')));
  });

  it('unreadable YAML and a missing file are clear errors', () => {
    expect(problems('sources: [ {')).toEqual(['PULL_SOURCES_FILE is not valid YAML or JSON']);
    assert.throws(() => loadPullSources('/nonexistent/pull.yaml', ENV), /cannot be read/);
  });
});
