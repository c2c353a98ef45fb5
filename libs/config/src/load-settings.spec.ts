import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from './configuration-error.js';
import { loadSettings } from './load-settings.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadSettings(env);
  } catch (error) {
    assert.ok(error instanceof ConfigurationError);
    return error.problems;
  }
  assert.fail('expected a ConfigurationError');
}

describe('loadSettings', () => {
  it('defaults to embedded mode with nothing set', () => {
    const settings = loadSettings({});
    assert.equal(settings.mode, 'embedded');
    assert.equal(settings.databaseUrl, null);
    assert.equal(settings.amqpUrl, null);
    assert.equal(settings.dataDir, './.data');
    assert.equal(settings.port, 3000);
    assert.equal(settings.auth.localIssuer, true);
    assert.equal(settings.workerInProcess, true);
    assert.equal(settings.demoData, true);
    assert.equal(settings.brokerNamespace, 'ketenpoort');
    assert.equal(settings.ingestMaxBytes, 512 * 1024 * 1024);
  });

  it('reads INGEST_MAX_BYTES and refuses a value that is not a positive integer', () => {
    assert.equal(loadSettings({ INGEST_MAX_BYTES: '1048576' }).ingestMaxBytes, 1_048_576);
    assert.ok(problemsOf({ INGEST_MAX_BYTES: '0' }).some((p) => p.startsWith('INGEST_MAX_BYTES ')));
    assert.ok(problemsOf({ INGEST_MAX_BYTES: '64mb' }).some((p) => p.startsWith('INGEST_MAX_BYTES ')));
  });

  it('bounds input by default and reads each limit, refusing values out of range (ADR 0013)', () => {
    expect(loadSettings({}).limits).toEqual({
      jsonMaxDepth: 64,
      itemMaxBytes: 1024 * 1024,
      documentMaxBytes: 64 * 1024 * 1024,
      uploadMemoryBytes: 1024 * 1024,
      uploadIdleTimeoutMs: 30_000,
      ingestConcurrencyPerBoard: 4,
    });
    const set = loadSettings({
      JSON_MAX_DEPTH: '32',
      INGEST_ITEM_MAX_BYTES: '65536',
      INGEST_DOCUMENT_MAX_BYTES: '1048576',
      INGEST_MEMORY_BYTES: '0',
      UPLOAD_IDLE_TIMEOUT_MS: '500',
      INGEST_MAX_CONCURRENT_PER_BOARD: '1',
    }).limits;
    expect(set).toEqual({
      jsonMaxDepth: 32,
      itemMaxBytes: 65_536,
      documentMaxBytes: 1_048_576,
      uploadMemoryBytes: 0,
      uploadIdleTimeoutMs: 500,
      ingestConcurrencyPerBoard: 1,
    });
    for (const [name, value] of [
      ['JSON_MAX_DEPTH', '1'],
      ['INGEST_ITEM_MAX_BYTES', '1kb'],
      ['INGEST_DOCUMENT_MAX_BYTES', '-1'],
      ['UPLOAD_IDLE_TIMEOUT_MS', '0'],
      ['INGEST_MAX_CONCURRENT_PER_BOARD', '0'],
    ]) {
      assert.ok(
        problemsOf({ [name]: value }).some((p) => p.startsWith(`${name} `)),
        `${name}=${value} is refused`,
      );
    }
  });

  it('switches to production mode with DATABASE_URL and keeps the worker separate with AMQP_URL', () => {
    const settings = loadSettings({
      DATABASE_URL: 'postgres://app:secret@db:5432/ketenpoort',
      AMQP_URL: 'amqp://guest:guest@mq:5672',
      AUTH_JWKS_URL: 'https://idp.example/jwks.json',
    });
    assert.equal(settings.mode, 'production');
    assert.equal(settings.workerInProcess, false);
    assert.equal(settings.auth.localIssuer, false);
    assert.equal(settings.demoData, false);
  });

  it('names a bad DATABASE_URL without echoing its value', () => {
    const problems = problemsOf({ DATABASE_URL: 'not-a-url' });
    assert.ok(problems.some((p) => p.startsWith('DATABASE_URL ')));
    assert.ok(problems.every((p) => !p.includes('not-a-url')));
  });

  it('never echoes a password from a URL with the wrong scheme', () => {
    const problems = problemsOf({ AMQP_URL: 'http://user:hunter2@mq:5672' });
    expect(problems).toEqual(['AMQP_URL must use amqp: or amqps:']);
  });

  it('collects every problem at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      AUTH_ALGORITHMS: 'HS256',
      BROKER_NAMESPACE: 'Bad Name',
    });
    assert.equal(problems.length, 4);
    assert.match(problems.join('\n'), /PORT/);
    assert.match(problems.join('\n'), /LOG_LEVEL/);
    assert.match(problems.join('\n'), /AUTH_ALGORITHMS/);
    assert.match(problems.join('\n'), /BROKER_NAMESPACE/);
  });

  it('refuses algorithm none and symmetric algorithms in the allow-list', () => {
    assert.ok(problemsOf({ AUTH_ALGORITHMS: 'ES256,none' }).some((p) => p.startsWith('AUTH_ALGORITHMS')));
    assert.ok(problemsOf({ AUTH_ALGORITHMS: 'HS512' }).some((p) => p.startsWith('AUTH_ALGORITHMS')));
  });

  it('rejects an out-of-range port and a malformed boolean', () => {
    assert.ok(problemsOf({ PORT: '70000' }).some((p) => p.startsWith('PORT ')));
    assert.ok(problemsOf({ DEMO_DATA: 'maybe' }).some((p) => p.startsWith('DEMO_DATA ')));
  });

  it('keeps the local issuer to a loopback HOST whatever else is set (issue 12)', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'gateway.example.org']) {
      assert.ok(
        problemsOf({
          HOST: host,
          AUTH_LOCAL_ISSUER: 'true',
          AUTH_JWKS_URL: 'https://idp.example.org/jwks',
        }).some((p) => p.startsWith('AUTH_LOCAL_ISSUER may only run when HOST is a loopback address')),
        host,
      );
    }
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]']) {
      assert.equal(loadSettings({ HOST: host }).auth.localIssuer, true, host);
    }
    assert.ok(problemsOf({ HOST: '0.0.0.0' }).some((p) => p.startsWith('HOST is not a loopback address')));
  });

  it('reads the token lifetime cap, rate limits and trusted proxies', () => {
    const defaults = loadSettings({});
    assert.equal(defaults.auth.maxTokenLifetimeSeconds, 12 * 60 * 60);
    expect(defaults.http).toEqual({
      trustProxy: null,
      authFailureLimit: 20,
      authFailureWindowSeconds: 300,
      devTokensLimit: 30,
      devTokensWindowSeconds: 60,
    });
    assert.equal(
      loadSettings({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.0.2.7' }).http.trustProxy,
      'loopback,10.0.0.0/8,192.0.2.7',
    );
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.example.org']) {
      assert.ok(
        problemsOf({ TRUST_PROXY: bad }).some((p) => p.startsWith('TRUST_PROXY')),
        bad,
      );
    }
    assert.ok(
      problemsOf({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '10' }).some((p) =>
        p.startsWith('AUTH_MAX_TOKEN_LIFETIME_SECONDS'),
      ),
    );
  });
});
