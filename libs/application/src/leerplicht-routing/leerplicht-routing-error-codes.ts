/**
 * The error codes the leerplicht-routing module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const LEERPLICHT_ROUTING_ERRORS = {
  // Why no route was found (the issue code of a failed resolution)
  ROUTE_UNKNOWN_MUNICIPALITY: 'ROUTE_UNKNOWN_MUNICIPALITY',
  ROUTE_NO_DOORSTROOMPUNT: 'ROUTE_NO_DOORSTROOMPUNT',
  ROUTE_UNKNOWN_BODY: 'ROUTE_UNKNOWN_BODY',
  ROUTE_INVALID_REQUEST: 'ROUTE_INVALID_REQUEST',
} as const;
