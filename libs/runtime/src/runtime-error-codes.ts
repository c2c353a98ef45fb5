/**
 * The codes the runtime composition answers or logs with (adapters by system, DUO identities), in one catalogue.
 * The strings are public (ADR 0004, shared/design/contracts.md): clients and operators branch on them, so they never change; new codes are added here.
 */
export const RUNTIME_ERRORS = {
  UNKNOWN_SYSTEM: 'UNKNOWN_SYSTEM',
  SENDING_PARTY_MISSING: 'SENDING_PARTY_MISSING',
  DUO_NOT_CONFIGURED: 'DUO_NOT_CONFIGURED',
  SENDING_PARTY_CERTIFICATE_EXPIRED: 'SENDING_PARTY_CERTIFICATE_EXPIRED',
  SENDING_PARTY_CERTIFICATE_NOT_YET_VALID: 'SENDING_PARTY_CERTIFICATE_NOT_YET_VALID',
  SENDING_PARTY_UNUSABLE: 'SENDING_PARTY_UNUSABLE',
  SENDING_PARTY_CERTIFICATE_EXPIRING: 'SENDING_PARTY_CERTIFICATE_EXPIRING',
} as const;
