/**
 * The error codes the leerplicht connector answers with, in one catalogue: the failures the dispatcher records
 * (the console explains each), the errors of the JOSE profile and the issues of a refused report. The strings
 * are public (ADR 0004, shared/design/contracts.md), so they never change; new codes are added here.
 */
export const LEERPLICHT_ERRORS = {
  // Sending (the webhook or the inbox)
  LEERPLICHT_NO_ENDPOINT: 'LEERPLICHT_NO_ENDPOINT',
  LEERPLICHT_NO_RECIPIENT_KEY: 'LEERPLICHT_NO_RECIPIENT_KEY',
  LEERPLICHT_TIMEOUT: 'LEERPLICHT_TIMEOUT',
  LEERPLICHT_UNREACHABLE: 'LEERPLICHT_UNREACHABLE',
  LEERPLICHT_INBOX_UNAVAILABLE: 'LEERPLICHT_INBOX_UNAVAILABLE',
  // The JOSE profile (JWS in JWE)
  LEERPLICHT_JWE_INVALID: 'LEERPLICHT_JWE_INVALID',
  LEERPLICHT_DECRYPTION_FAILED: 'LEERPLICHT_DECRYPTION_FAILED',
  LEERPLICHT_SIGNATURE_INVALID: 'LEERPLICHT_SIGNATURE_INVALID',
  LEERPLICHT_CLAIMS_INVALID: 'LEERPLICHT_CLAIMS_INVALID',
  LEERPLICHT_KEY_INVALID: 'LEERPLICHT_KEY_INVALID',
  // The structured report
  LEERPLICHT_PAYLOAD_INVALID: 'LEERPLICHT_PAYLOAD_INVALID',
  LEERPLICHT_RECIPIENT_INVALID: 'LEERPLICHT_RECIPIENT_INVALID',
  // Issue codes inside a refused report
  NOT_ALLOWED: 'NOT_ALLOWED',
  INVALID_VALUE: 'INVALID_VALUE',
} as const;
