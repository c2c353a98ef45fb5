import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type JWK, exportJWK, generateKeyPair } from 'jose';
import { DEMO_HUMAN_MUNICIPALITY } from './demo-actors.js';

/** Where the embedded demo keeps the demo municipality's key pair: in DATA_DIR, never in production. */
export function demoMunicipalityKeyFile(dataDir: string): string {
  return join(dataDir, `demo-municipality-${DEMO_HUMAN_MUNICIPALITY}.jwk.json`);
}

export interface DemoMunicipalityKey {
  readonly code: string;
  /** EC P-256 private JWK (with `d`): what the officer loads in the console; ketenpoort's server never reads it. */
  readonly privateJwk: JWK;
  /** The public half, for the routing table (the connector encrypts reports to it). */
  readonly publicJwk: JWK;
}

/**
 * The demo municipality's key pair (ADR 0023), made on the first embedded start and kept in DATA_DIR, standing in
 * for the key a real municipality makes and keeps itself. Only the start scripts (to put the public key in the
 * routing table) and the local demo sign-in (to hand the file to the demo officer) touch it.
 */
export async function openDemoMunicipalityKey(dataDir: string): Promise<DemoMunicipalityKey> {
  const file = demoMunicipalityKeyFile(dataDir);
  const kid = `${DEMO_HUMAN_MUNICIPALITY}-demo`;
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid, use: 'enc', alg: 'ECDH-ES+A256KW' };
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600 });
  }
  const privateJwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  const { kty, crv, x, y } = privateJwk;
  return {
    code: DEMO_HUMAN_MUNICIPALITY,
    privateJwk,
    publicJwk: { kty, crv, x, y, kid: privateJwk.kid ?? kid, use: 'enc', alg: 'ECDH-ES+A256KW' },
  };
}

/**
 * What the local demo sign-in may hand out: the demo municipality's key file in embedded mode, nothing in
 * production mode (a production municipality's key never exists on ketenpoort's side at all).
 */
export function demoKeyOffer(settings: {
  readonly mode: 'embedded' | 'production';
  readonly dataDir: string;
}): { readonly code: string; readonly file: string } | null {
  return settings.mode === 'embedded'
    ? { code: DEMO_HUMAN_MUNICIPALITY, file: demoMunicipalityKeyFile(settings.dataDir) }
    : null;
}
