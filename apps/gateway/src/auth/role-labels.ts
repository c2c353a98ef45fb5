import type { Role } from '#domain';

/**
 * Dutch names of the roles, for the demo sign-in page (the console has its own catalogue). Partial on purpose:
 * a role added elsewhere still signs in; `role-labels.spec.ts` fails until it has a name.
 */
export const ROLE_LABELS: Partial<Record<Role, string>> = {
  school_staff: 'Schoolmedewerker (verzuimcoördinator)',
  integration_client: 'Koppeling van een schooladministratiesysteem',
  privacy_officer: 'Privacyfunctionaris (FG)',
  auditor: 'Auditor',
  leerplicht_officer: 'Leerplichtambtenaar',
  doorstroompunt_officer: 'Medewerker Doorstroompunt (RMC)',
  board_admin: 'Beheerder van het schoolbestuur (DUO-certificaten)',
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? `Demogebruiker met rol ${role}`;
}
