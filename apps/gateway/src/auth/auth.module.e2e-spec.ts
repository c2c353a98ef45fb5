import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Catch,
  Controller,
  Get,
  Global,
  HttpException,
  Module,
  type ArgumentsHost,
  type ExceptionFilter,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SETTINGS, type Settings } from '#config';
import { isDomainError, type Actor, type ErrorKind } from '#domain';
import type { Response } from 'express';
import request from 'supertest';
import {
  TEST_HTTP_SETTINGS,
  authSettings,
  jwksJson,
  signToken,
  testKey,
  type TestKey,
} from './auth.test-support.js';
import { AuthModule, type AuthModuleSettings } from './auth.module.js';
import { CurrentActor } from './current-actor.decorator.js';
import { DEMO_ACTOR_CLAIMS } from './demo-actors.js';
import { LocalIssuer } from './local-issuer.js';
import { Public } from './public.decorator.js';
import { Roles } from './roles.decorator.js';

/** Stands in for the gateway's real exception filter: DomainError kind to HTTP status. */
const STATUS: Partial<Record<ErrorKind, number>> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  unavailable: 503,
};

@Catch()
class DomainErrorTestFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (isDomainError(error)) {
      response.status(STATUS[error.kind] ?? 500).json({ code: error.code, message: error.message });
    } else if (error instanceof HttpException) {
      response.status(error.getStatus()).json({ code: 'HTTP', message: error.message });
    } else {
      response.status(500).json({ code: 'INTERNAL' });
    }
  }
}

@Controller('probe')
class ProbeController {
  @Public()
  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Get('me')
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }

  @Roles('auditor', 'privacy_officer')
  @Get('audit')
  audit(@CurrentActor() actor: Actor): { role: string } {
    return { role: actor.role };
  }

  @Public()
  @Get('public-actor')
  publicActor(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}

@Roles('leerplicht_officer')
@Controller('leerplicht')
class LeerplichtController {
  @Get()
  list(): { ok: true } {
    return { ok: true };
  }

  @Roles('auditor')
  @Get('audit')
  audit(): { ok: true } {
    return { ok: true };
  }
}

async function startApp(settings: AuthModuleSettings): Promise<INestApplication> {
  @Global()
  @Module({ providers: [{ provide: SETTINGS, useValue: settings }], exports: [SETTINGS] })
  class TestSettingsModule {}

  @Module({
    imports: [TestSettingsModule, AuthModule.forRoot(settings)],
    controllers: [ProbeController, LeerplichtController],
  })
  class TestAppModule {}

  const app = await NestFactory.create(TestAppModule, { logger: false, abortOnError: false });
  app.useGlobalFilters(new DomainErrorTestFilter());
  await app.init();
  return app;
}

/** Only the settings AuthModule reads, so the spec does not break when unrelated settings are added. */
function settingsWith(dataDir: string, auth: Settings['auth']): AuthModuleSettings {
  return { dataDir, auth, http: TEST_HTTP_SETTINGS };
}

describe('AuthModule with the local issuer (embedded)', () => {
  let app: INestApplication;
  let issuer: LocalIssuer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ketenpoort-auth-module-'));
    app = await startApp(settingsWith(dir, authSettings({ issuer: 'ketenpoort-local', localIssuer: true })));
    issuer = app.get(LocalIssuer);
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const bearer = async (role: keyof typeof DEMO_ACTOR_CLAIMS): Promise<string> =>
    `Bearer ${await issuer.issue(DEMO_ACTOR_CLAIMS[role])}`;

  it('lets @Public() routes through without a token', async () => {
    const response = await request(app.getHttpServer()).get('/probe/health');
    assert.equal(response.status, 200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('refuses a protected route without Authorization: 401 TOKEN_MISSING', async () => {
    const response = await request(app.getHttpServer()).get('/probe/me');
    assert.equal(response.status, 401);
    assert.equal(response.body.code, 'TOKEN_MISSING');
  });

  it('refuses another scheme: 401 TOKEN_MISSING', async () => {
    const response = await request(app.getHttpServer())
      .get('/probe/me')
      .set('Authorization', 'Basic dXNlcjpwYXNz');
    assert.equal(response.status, 401);
    assert.equal(response.body.code, 'TOKEN_MISSING');
  });

  it('refuses a malformed bearer token: 401 TOKEN_INVALID, without echoing it', async () => {
    const response = await request(app.getHttpServer())
      .get('/probe/me')
      .set('Authorization', 'Bearer not a jwt');
    assert.equal(response.status, 401);
    assert.equal(response.body.code, 'TOKEN_INVALID');
    const garbage = await request(app.getHttpServer())
      .get('/probe/me')
      .set('Authorization', 'Bearer abc.def.ghi');
    assert.equal(garbage.status, 401);
    assert.equal(garbage.body.code, 'TOKEN_INVALID');
    assert.ok(!JSON.stringify(garbage.body).includes('abc.def.ghi'));
  });

  it('attaches the Actor and hands it to @CurrentActor()', async () => {
    const response = await request(app.getHttpServer())
      .get('/probe/me')
      .set('Authorization', await bearer('school_staff'));
    assert.equal(response.status, 200);
    expect(response.body).toEqual({
      role: 'school_staff',
      subject: 'demo-school-staff',
      board: 'BOARD-DEMO',
      schools: ['99XX', '99XY'],
    });
  });

  it('accepts the scheme name in any case', async () => {
    const token = await issuer.issue(DEMO_ACTOR_CLAIMS.auditor);
    const response = await request(app.getHttpServer())
      .get('/probe/me')
      .set('Authorization', `bearer ${token}`);
    assert.equal(response.status, 200);
    assert.equal(response.body.role, 'auditor');
  });

  it('refuses a role not listed in @Roles(): 403 ROLE_NOT_ALLOWED', async () => {
    const response = await request(app.getHttpServer())
      .get('/probe/audit')
      .set('Authorization', await bearer('school_staff'));
    assert.equal(response.status, 403);
    assert.equal(response.body.code, 'ROLE_NOT_ALLOWED');
  });

  it('allows every role listed in @Roles()', async () => {
    for (const role of ['auditor', 'privacy_officer'] as const) {
      const response = await request(app.getHttpServer())
        .get('/probe/audit')
        .set('Authorization', await bearer(role));
      assert.equal(response.status, 200, role);
      expect(response.body).toEqual({ role });
    }
  });

  it('applies controller-level @Roles(), with a method-level list taking precedence', async () => {
    const server = app.getHttpServer();
    assert.equal(
      (
        await request(server)
          .get('/leerplicht')
          .set('Authorization', await bearer('leerplicht_officer'))
      ).status,
      200,
    );
    const refused = await request(server)
      .get('/leerplicht')
      .set('Authorization', await bearer('auditor'));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'ROLE_NOT_ALLOWED');
    assert.equal(
      (
        await request(server)
          .get('/leerplicht/audit')
          .set('Authorization', await bearer('auditor'))
      ).status,
      200,
    );
    assert.equal(
      (
        await request(server)
          .get('/leerplicht/audit')
          .set('Authorization', await bearer('leerplicht_officer'))
      ).status,
      403,
    );
  });

  it('refuses @CurrentActor() on a public route called without a token: 401 TOKEN_MISSING', async () => {
    const response = await request(app.getHttpServer()).get('/probe/public-actor');
    assert.equal(response.status, 401);
    assert.equal(response.body.code, 'TOKEN_MISSING');
  });

  it('GET /v1/dev/tokens lists one working token per role and a second privacy officer, uncached', async () => {
    const server = app.getHttpServer();
    const response = await request(server).get('/v1/dev/tokens');
    assert.equal(response.status, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    const tokens = response.body.tokens as {
      role: string;
      token: string;
      tokenType: string;
      expiresAt: string;
    }[];
    expect(tokens.map((t) => t.role)).toEqual([
      'school_staff',
      'leerplicht_officer',
      'doorstroompunt_officer',
      'privacy_officer',
      'auditor',
      'integration_client',
      'board_admin',
      'privacy_officer',
      // The officer of the demo municipality a person handles (issue 14).
      'leerplicht_officer',
    ]);
    // Two privacy officers of the demo board: the four-eyes approval of a policy can be tried.
    const officers = tokens.filter((t) => t.role === 'privacy_officer') as { subject?: string }[];
    expect(officers.map((t) => t.subject)).toEqual(['demo-privacy-officer', 'demo-privacy-officer-2']);
    for (const t of tokens) {
      const me = await request(server).get('/probe/me').set('Authorization', `Bearer ${t.token}`);
      assert.equal(me.status, 200, t.role);
      assert.equal(me.body.role, t.role);
    }
  });

  it('POST /v1/dev/tokens issues a token for one role', async () => {
    const server = app.getHttpServer();
    const response = await request(server).post('/v1/dev/tokens').send({ role: 'privacy_officer' });
    assert.equal(response.status, 201);
    assert.equal(response.body.role, 'privacy_officer');
    assert.equal(response.body.tokenType, 'Bearer');
    const audit = await request(server)
      .get('/probe/audit')
      .set('Authorization', `Bearer ${response.body.token}`);
    assert.equal(audit.status, 200);
  });

  it('POST /v1/dev/tokens refuses an unknown role: 400 ROLE_UNKNOWN', async () => {
    const server = app.getHttpServer();
    const unknown = await request(server).post('/v1/dev/tokens').send({ role: 'admin' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.code, 'ROLE_UNKNOWN');
    const empty = await request(server).post('/v1/dev/tokens').send({});
    assert.equal(empty.status, 400);
    assert.equal(empty.body.code, 'ROLE_UNKNOWN');
    const badTtl = await request(server).post('/v1/dev/tokens').send({ role: 'auditor', ttlSeconds: 0 });
    assert.equal(badTtl.status, 400);
    assert.equal(badTtl.body.code, 'TOKEN_TTL');
  });

  it('GET /.well-known/jwks.json publishes the public key only', async () => {
    const response = await request(app.getHttpServer()).get('/.well-known/jwks.json');
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /application\/jwk-set\+json/);
    const body = JSON.parse(response.text) as { keys: Record<string, unknown>[] };
    expect(body).toEqual(issuer.publicJwks());
    assert.ok(body.keys.every((key) => !('d' in key)));
  });
});

describe('AuthModule without the local issuer (production)', () => {
  let app: INestApplication;
  let idp: TestKey;

  beforeAll(async () => {
    idp = await testKey('ES256', 'idp');
    app = await startApp(settingsWith('/nonexistent-not-used', authSettings({ staticKeys: jwksJson(idp) })));
  });
  afterAll(async () => {
    await app.close();
  });

  it('does not register the dev token or JWKS endpoints', async () => {
    const server = app.getHttpServer();
    assert.equal((await request(server).get('/v1/dev/tokens')).status, 404);
    assert.equal((await request(server).post('/v1/dev/tokens').send({ role: 'auditor' })).status, 404);
    assert.equal((await request(server).get('/.well-known/jwks.json')).status, 404);
    assert.throws(() => app.get(LocalIssuer));
  });

  it('accepts identity-provider tokens and refuses expired ones', async () => {
    const server = app.getHttpServer();
    const now = Math.floor(Date.now() / 1000);
    const valid = await signToken(idp, DEMO_ACTOR_CLAIMS.doorstroompunt_officer, {
      iat: now,
      exp: now + 300,
    });
    const ok = await request(server).get('/probe/me').set('Authorization', `Bearer ${valid}`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.region, 'RMC-UTRECHT');
    const expired = await signToken(idp, DEMO_ACTOR_CLAIMS.doorstroompunt_officer, {
      iat: now - 7200,
      exp: now - 3600,
    });
    const refused = await request(server).get('/probe/me').set('Authorization', `Bearer ${expired}`);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'TOKEN_EXPIRED');
  });
});
