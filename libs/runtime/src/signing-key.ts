import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Settings } from '#config';
import { ConfigurationError } from '#config';

/** ketenpoort's ES256 key for signing leerplicht reports: the private JWK, its public half and the kid. */
export interface SigningKey {
  readonly privateJwk: JsonWebKey;
  readonly publicJwk: JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' };
  readonly kid: string;
  readonly source: 'settings' | 'file';
}

export const SIGNING_KEY_FILE = 'leerplicht-signing-key.pem';

/** RFC 7638 thumbprint of an EC public key: a stable kid. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

function fromPem(pem: string, source: SigningKey['source']): SigningKey {
  let privateKey;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new ConfigurationError(['LEERPLICHT_SIGNING_KEY is not a readable PKCS#8 PEM private key']);
  }
  const details = privateKey.asymmetricKeyDetails;
  if (privateKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
    throw new ConfigurationError(['LEERPLICHT_SIGNING_KEY must be an EC P-256 key (ES256)']);
  }
  const privateJwk = privateKey.export({ format: 'jwk' });
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = `kp-${thumbprint(publicJwk).slice(0, 16)}`;
  return { privateJwk, publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' }, kid, source };
}

/**
 * LEERPLICHT_SIGNING_KEY (PEM text, or a path to a PEM file), else a key kept in DATA_DIR (created on first use,
 * mode 0600). Its public half is published at `GET /.well-known/leerplicht-signing-keys.json`.
 */
export async function loadSigningKey(settings: Pick<Settings, 'dataDir' | 'delivery'>): Promise<SigningKey> {
  const configured = settings.delivery.leerplichtSigningKey;
  if (configured) {
    const pem = configured.includes('-----BEGIN') ? configured : await readFile(configured, 'utf8');
    return fromPem(pem, 'settings');
  }
  const dir = resolve(settings.dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, SIGNING_KEY_FILE);
  try {
    return fromPem(await readFile(file, 'utf8'), 'file');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  // wx: two processes starting at once never overwrite each other's key; the loser reads the winner's.
  await writeFile(file, pem, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return fromPem(await readFile(file, 'utf8'), 'file');
}
