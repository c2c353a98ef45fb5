/**
 * The error codes the privacy module of the gateway answers with, in one catalogue. The strings are public
 * (ADR 0004, shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const PRIVACY_ERRORS = {
  // A roster sent with a content type other than XML
  ROSTER_MEDIA_TYPE: 'ROSTER_MEDIA_TYPE',
} as const;
