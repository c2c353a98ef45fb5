/**
 * The error codes the DUO ROD connector answers with, in one catalogue: the failures the dispatcher records
 * (the console explains each), the errors of the message format and the problems of a certificate bundle.
 * The strings are public (ADR 0004, shared/design/contracts.md), so they never change; new codes are added
 * here. (`DUO_HTTP_<status>` and DUO's own F-codes are built from the answer, not listed.)
 */
export const DUO_ROD_ERRORS = {
  // Sending and DUO's answer
  DUO_TIMEOUT: 'DUO_TIMEOUT',
  DUO_RESPONSE_TOO_LARGE: 'DUO_RESPONSE_TOO_LARGE',
  DUO_TLS: 'DUO_TLS',
  DUO_CONNECTION: 'DUO_CONNECTION',
  DUO_UNPARSEABLE_RESPONSE: 'DUO_UNPARSEABLE_RESPONSE',
  DUO_SOAP_FAULT_CLIENT: 'DUO_SOAP_FAULT_CLIENT',
  DUO_SOAP_FAULT_SERVER: 'DUO_SOAP_FAULT_SERVER',
  DUO_ANSWER_NOT_RELATED: 'DUO_ANSWER_NOT_RELATED',
  DUO_ANSWER_UNSIGNED: 'DUO_ANSWER_UNSIGNED',
  DUO_ANSWER_SIGNATURE_INVALID: 'DUO_ANSWER_SIGNATURE_INVALID',
  // The message format (released fields, profile, identities)
  DUO_FIELD_INVALID: 'DUO_FIELD_INVALID',
  DUO_OIN_INVALID: 'DUO_OIN_INVALID',
  DUO_REPORT_NUMBER_MISSING: 'DUO_REPORT_NUMBER_MISSING',
  DUO_UNKNOWN_REPORT_KIND: 'DUO_UNKNOWN_REPORT_KIND',
  // Issue codes inside a refused message
  INVALID_VALUE: 'INVALID_VALUE',
  INVALID_OIN: 'INVALID_OIN',
  REQUIRED: 'REQUIRED',
  UNKNOWN_REPORT_KIND: 'UNKNOWN_REPORT_KIND',
  // A certificate bundle (PEM or PKCS#12) that cannot be used
  CERTIFICATE_UNREADABLE: 'CERTIFICATE_UNREADABLE',
  KEY_UNREADABLE: 'KEY_UNREADABLE',
  KEY_NOT_RSA: 'KEY_NOT_RSA',
  KEY_CERTIFICATE_MISMATCH: 'KEY_CERTIFICATE_MISMATCH',
  PKCS12_PASSWORD: 'PKCS12_PASSWORD',
  PKCS12_UNREADABLE: 'PKCS12_UNREADABLE',
  PKCS12_KEYS: 'PKCS12_KEYS',
  PKCS12_CERTIFICATES: 'PKCS12_CERTIFICATES',
} as const;
