import {
  CompactEncrypt,
  type CryptoKey,
  type JWK,
  type KeyObject,
  SignJWT,
  calculateJwkThumbprint,
  compactDecrypt,
  decodeProtectedHeader,
  errors,
  importJWK,
  jwtVerify,
} from 'jose';
import { DomainError, UnauthenticatedError, ValidationError } from '#domain';
import type { LeerplichtReportV1 } from './report.js';
import { LEERPLICHT_ERRORS } from './leerplicht-error-codes.js';

/** JWS profile: ES256, this `typ`, the signer's `kid`; claims iss, sub (report id), aud, iat, jti, report. */
export const LEERPLICHT_JWS_ALG = 'ES256';
export const LEERPLICHT_JWT_TYPE = 'leerplicht-report+jwt';
export const LEERPLICHT_ISSUER = 'ketenpoort';
/** JWE profile: ECDH-ES key agreement with AES key wrap, AES-GCM content, `cty: JWT` (a nested JWT). */
export const LEERPLICHT_JWE_ALG = 'ECDH-ES+A256KW';
export const LEERPLICHT_JWE_ENC = 'A256GCM';

export type KeyMaterial = JWK | CryptoKey | KeyObject;
/** Finds ketenpoort's public key by the JWS `kid` (e.g. from its JWKS); null when unknown. */
export type SignerKeyLookup = (kid: string | undefined) => Promise<KeyMaterial | null>;

/** ketenpoort's signing key: an EC P-256 private key (JWK or key object) and the `kid` it is published under. */
export type LeerplichtSigningKey =
  | { readonly privateJwk: JWK; readonly kid: string }
  | { readonly key: CryptoKey | KeyObject; readonly kid: string };

export interface VerifiedLeerplichtReport {
  readonly report: LeerplichtReportV1;
  /** The idempotency key of the delivery. */
  readonly jti: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  /** `kid` of the signing key. */
  readonly signerKid: string | undefined;
  /** `kid` the JWE was encrypted to. */
  readonly recipientKid: string | undefined;
}

/**
 * Signs a report as a JWT (compact JWS, ES256). `jti` is the delivery's idempotency key, so a redelivery is
 * recognisable after decryption; `iat` is the report's `issuedAt`.
 */
export async function signLeerplichtReport(
  report: LeerplichtReportV1,
  signingKey: LeerplichtSigningKey,
  jti: string,
): Promise<string> {
  const key = await keyOf(
    'privateJwk' in signingKey ? signingKey.privateJwk : signingKey.key,
    LEERPLICHT_JWS_ALG,
  );
  return new SignJWT({ report: report as unknown as Record<string, unknown> })
    .setProtectedHeader({ alg: LEERPLICHT_JWS_ALG, typ: LEERPLICHT_JWT_TYPE, kid: signingKey.kid })
    .setIssuer(LEERPLICHT_ISSUER)
    .setSubject(report.reportId)
    .setAudience(`${report.recipient.kind}:${report.recipient.id}`)
    .setIssuedAt(Math.floor(Date.parse(report.issuedAt) / 1000))
    .setJti(jti)
    .sign(key);
}

/** Encrypts a compact JWS to the recipient's EC P-256 public key; `kid` is the JWK's kid or its thumbprint. */
export async function encryptForRecipient(jws: string, recipientPublicJwk: JWK): Promise<string> {
  if (['d', 'k'].some((member) => member in recipientPublicJwk)) {
    throw new ValidationError(
      LEERPLICHT_ERRORS.LEERPLICHT_KEY_INVALID,
      'the recipient key must be a public key',
    );
  }
  const key = await keyOf(recipientPublicJwk, LEERPLICHT_JWE_ALG);
  const kid = recipientPublicJwk.kid ?? (await calculateJwkThumbprint(recipientPublicJwk));
  return new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({ alg: LEERPLICHT_JWE_ALG, enc: LEERPLICHT_JWE_ENC, cty: 'JWT', kid })
    .encrypt(key);
}

/**
 * The receiving side: decrypts with the recipient's private key, verifies the signature against ketenpoort's
 * public key and the profile (alg, typ, iss, a `report` object, jti). Coded errors: LEERPLICHT_JWE_INVALID
 * (not a JWE of this profile), LEERPLICHT_DECRYPTION_FAILED (wrong key or tampered),
 * LEERPLICHT_SIGNATURE_INVALID (bad signature, wrong signer), LEERPLICHT_CLAIMS_INVALID.
 * The report's content is not schema-validated here (the receiver validates it against the published schema).
 */
export async function decryptAndVerify(
  jwe: string,
  recipientPrivateKey: KeyMaterial,
  ketenpoortPublicKey: KeyMaterial | SignerKeyLookup,
): Promise<VerifiedLeerplichtReport> {
  let plaintext: Uint8Array;
  let recipientKid: string | undefined;
  const privateKey = await keyOf(recipientPrivateKey, LEERPLICHT_JWE_ALG);
  try {
    const result = await compactDecrypt(jwe, privateKey, {
      keyManagementAlgorithms: [LEERPLICHT_JWE_ALG],
      contentEncryptionAlgorithms: [LEERPLICHT_JWE_ENC],
    });
    if (result.protectedHeader.cty !== 'JWT') {
      throw new ValidationError(
        LEERPLICHT_ERRORS.LEERPLICHT_JWE_INVALID,
        'the JWE does not carry a nested JWT (cty)',
      );
    }
    plaintext = result.plaintext;
    recipientKid = result.protectedHeader.kid;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (error instanceof errors.JWEDecryptionFailed) {
      throw new ValidationError(
        LEERPLICHT_ERRORS.LEERPLICHT_DECRYPTION_FAILED,
        'the JWE cannot be decrypted with this key (wrong key or altered)',
      );
    }
    throw new ValidationError(
      LEERPLICHT_ERRORS.LEERPLICHT_JWE_INVALID,
      `not a JWE of the leerplicht profile (${joseCode(error)})`,
    );
  }
  const jws = new TextDecoder().decode(plaintext);
  let signer: KeyMaterial;
  if (typeof ketenpoortPublicKey === 'function') {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(jws).kid;
    } catch {
      throw new UnauthenticatedError(
        LEERPLICHT_ERRORS.LEERPLICHT_SIGNATURE_INVALID,
        'the decrypted content is not a JWS',
      );
    }
    const found = await ketenpoortPublicKey(kid);
    if (found === null)
      throw new UnauthenticatedError(
        LEERPLICHT_ERRORS.LEERPLICHT_SIGNATURE_INVALID,
        'the signing key (kid) is not known',
      );
    signer = found;
  } else signer = ketenpoortPublicKey;
  const publicKey = await keyOf(signer, LEERPLICHT_JWS_ALG);
  try {
    const { payload, protectedHeader } = await jwtVerify(jws, publicKey, {
      algorithms: [LEERPLICHT_JWS_ALG],
      typ: LEERPLICHT_JWT_TYPE,
      issuer: LEERPLICHT_ISSUER,
      requiredClaims: ['jti', 'iat', 'sub'],
    });
    const report = payload['report'];
    if (typeof report !== 'object' || report === null || Array.isArray(report)) {
      throw new ValidationError(LEERPLICHT_ERRORS.LEERPLICHT_CLAIMS_INVALID, 'the JWT has no report claim');
    }
    if ((report as { reportId?: unknown }).reportId !== payload.sub) {
      throw new ValidationError(
        LEERPLICHT_ERRORS.LEERPLICHT_CLAIMS_INVALID,
        'sub does not match the report id',
      );
    }
    return {
      report: report as LeerplichtReportV1,
      jti: payload.jti!,
      iat: payload.iat!,
      signerKid: protectedHeader.kid,
      recipientKid,
    };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      throw new UnauthenticatedError(
        LEERPLICHT_ERRORS.LEERPLICHT_SIGNATURE_INVALID,
        'the report signature does not verify against the ketenpoort key',
      );
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      throw new ValidationError(
        LEERPLICHT_ERRORS.LEERPLICHT_CLAIMS_INVALID,
        `the report JWT fails the profile (${error.claim})`,
      );
    }
    throw new UnauthenticatedError(
      LEERPLICHT_ERRORS.LEERPLICHT_SIGNATURE_INVALID,
      `not a JWS of the leerplicht profile (${joseCode(error)})`,
    );
  }
}

async function keyOf(material: KeyMaterial, alg: string): Promise<CryptoKey | KeyObject | Uint8Array> {
  if (!isJwk(material)) return material;
  try {
    return await importJWK(material, alg);
  } catch (error) {
    throw new ValidationError(
      LEERPLICHT_ERRORS.LEERPLICHT_KEY_INVALID,
      `the key cannot be used for ${alg} (${joseCode(error)})`,
    );
  }
}

function isJwk(material: KeyMaterial): material is JWK {
  return (
    typeof material === 'object' && material !== null && 'kty' in material && typeof material.kty === 'string'
  );
}

function joseCode(error: unknown): string {
  return error instanceof errors.JOSEError ? error.code : 'ERR_UNKNOWN';
}
