import {
  CompactEncrypt,
  type CryptoKey,
  type JWK,
  type JWTVerifyGetKey,
  compactDecrypt,
  createLocalJWKSet,
  importJWK,
  jwtVerify,
} from 'jose';

// ADR 0023: the municipality's private key lives in this tab only. It is read from a file the officer chooses,
// imported as a non-extractable CryptoKey, kept in this module's memory, never sent to the server and never written
// to localStorage, sessionStorage or IndexedDB; a reload forgets it.

const JWE_ALG = 'ECDH-ES+A256KW';
const JWE_ENC = 'A256GCM';
const JWS_ALG = 'ES256';
const JWT_TYPE = 'leerplicht-report+jwt';

export interface LoadedKey {
  /** The CBS code (or body id) the key is for, as the officer chose it. */
  readonly code: string;
  readonly privateKey: CryptoKey;
  /** The public half (kty, crv, x, y), to encrypt the officer's notes to the municipality. */
  readonly publicJwk: JWK;
  readonly kid: string | null;
  readonly fileName: string;
}

let loaded: LoadedKey | null = null;
const listeners = new Set<() => void>();

export function currentKey(): LoadedKey | null {
  return loaded;
}

export function subscribeKey(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function forgetKey(): void {
  loaded = null;
  for (const l of listeners) l();
}

/** Why a key file was refused, in Dutch. */
export class KeyFileError extends Error {}

/**
 * Reads an EC P-256 private JWK from the file and imports it non-extractable. The JWK text is dropped as soon as
 * the key is imported.
 */
export async function loadKeyFile(file: File, code: string): Promise<LoadedKey> {
  if (file.size > 10_000) throw new KeyFileError('Dit bestand is te groot voor een sleutel.');
  let jwk: JWK;
  try {
    jwk = JSON.parse(await file.text()) as JWK;
  } catch {
    throw new KeyFileError('Dit bestand is geen sleutel (JWK). Kies het sleutelbestand van uw gemeente.');
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string' || !jwk.x || !jwk.y) {
    throw new KeyFileError(
      'Dit is geen privésleutel van het juiste soort (EC P-256). Kies het sleutelbestand van uw gemeente.',
    );
  }
  let privateKey: CryptoKey;
  try {
    privateKey = (await importJWK(jwk, JWE_ALG, { extractable: false })) as CryptoKey;
  } catch {
    throw new KeyFileError('De sleutel kon niet worden gebruikt. Kies het sleutelbestand van uw gemeente.');
  }
  const { kty, crv, x, y } = jwk;
  loaded = {
    code,
    privateKey,
    publicJwk: { kty, crv, x, y },
    kid: typeof jwk.kid === 'string' ? jwk.kid : null,
    fileName: file.name,
  };
  for (const l of listeners) l();
  return loaded;
}

let signerKeys: Promise<JWTVerifyGetKey> | null = null;

/** ketenpoort's published signing keys (JWKS), fetched once per tab. */
function signers(): Promise<JWTVerifyGetKey> {
  signerKeys ??= fetch('/.well-known/leerplicht-signing-keys.json', { credentials: 'same-origin' })
    .then(async (response) => {
      if (!response.ok) throw new Error('signing keys');
      return createLocalJWKSet((await response.json()) as { keys: JWK[] });
    })
    .catch((error: unknown) => {
      signerKeys = null;
      throw error;
    });
  return signerKeys;
}

export type DecryptedReport =
  | { readonly ok: true; readonly report: OfficerReport; readonly issuedAt: number }
  | { readonly ok: false; readonly reason: string };

/** The report as the connector builds it (config/leerplicht/report.schema.json); every part optional here. */
export interface OfficerReport {
  readonly reportId: string;
  readonly operation?: string;
  readonly kind?: string;
  readonly school?: { board?: string; id?: string; brin?: string; vestiging?: string; locationName?: string };
  readonly pupil?: {
    bsn?: string;
    onderwijsnummer?: string;
    name?: string;
    birthDate?: string;
    address?: string;
    phone?: string;
  };
  readonly parent?: { name?: string; phone?: string };
  readonly absence?: {
    kind?: string;
    beginDate?: string;
    endDate?: string;
    hours?: number;
    /** Klokuren in whole minutes (schema 1.1); absent in reports sent before. */
    clockMinutes?: number;
    days?: number;
    perDay?: readonly { date?: string; lessonHours?: readonly number[] }[];
  };
  readonly report?: {
    suspectedReason?: string;
    actionTaken?: string;
    municipalActionWanted?: boolean | string;
  };
  readonly reporter?: { name?: string; role?: string; phone?: string; email?: string };
  readonly registration?: { remarks?: string };
  readonly issuedAt?: string;
}

/** Decrypts with the loaded key and verifies ketenpoort's signature before anything is shown. */
export async function decryptReport(jwe: string, key: LoadedKey): Promise<DecryptedReport> {
  let jws: string;
  try {
    const { plaintext } = await compactDecrypt(jwe, key.privateKey, {
      keyManagementAlgorithms: [JWE_ALG],
      contentEncryptionAlgorithms: [JWE_ENC],
    });
    jws = new TextDecoder().decode(plaintext);
  } catch {
    return {
      ok: false,
      reason:
        'Deze melding kan niet worden geopend met de gekozen sleutel. Is het de sleutel van deze gemeente?',
    };
  }
  try {
    const { payload } = await jwtVerify(jws, await signers(), {
      algorithms: [JWS_ALG],
      typ: JWT_TYPE,
      issuer: 'ketenpoort',
    });
    const report = payload['report'] as OfficerReport | undefined;
    if (!report || report.reportId !== payload.sub) {
      return { ok: false, reason: 'De melding is niet volledig; de ondertekening klopt niet met de inhoud.' };
    }
    return { ok: true, report, issuedAt: payload.iat ?? 0 };
  } catch {
    return {
      ok: false,
      reason:
        'De ondertekening van ketenpoort klopt niet. Open deze melding niet en meld het bij uw beheerder.',
    };
  }
}

/** The officer's decision and notes: stays with the municipality, encrypted to its key (ADR 0023). */
export interface CaseNote {
  readonly decision?: { readonly type: string; readonly date: string };
  readonly notes?: string;
  readonly writtenAt: string;
}

export async function encryptNote(note: CaseNote, key: LoadedKey): Promise<string> {
  const publicKey = await importJWK(key.publicJwk, JWE_ALG);
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(note)))
    .setProtectedHeader({
      alg: JWE_ALG,
      enc: JWE_ENC,
      cty: 'application/json',
      ...(key.kid ? { kid: key.kid } : {}),
    })
    .encrypt(publicKey);
}

export async function decryptNote(jwe: string, key: LoadedKey): Promise<CaseNote | null> {
  try {
    const { plaintext } = await compactDecrypt(jwe, key.privateKey, {
      keyManagementAlgorithms: [JWE_ALG],
      contentEncryptionAlgorithms: [JWE_ENC],
    });
    return JSON.parse(new TextDecoder().decode(plaintext)) as CaseNote;
  } catch {
    return null;
  }
}
