import { ROLES, type Role } from '#domain';
import type { ActorClaims } from './actor-claims.js';

/** Demo scope ids, shared with the demo data loader so demo tokens see the demo records. */
export const DEMO_BOARD = 'BOARD-DEMO';
export const DEMO_SCHOOL = '99XX';
/** The demo board's second school (SOMtoday); demo school staff see both. */
export const DEMO_SCHOOL_B = '99XY';
export const DEMO_SYSTEM = 'magister';
export const DEMO_MUNICIPALITY = '0344';
export const DEMO_REGION = 'RMC-UTRECHT';
/**
 * The demo municipality handled by a person instead of the chain simulator (issue 14): Bunnik, whose inbox the
 * demo officer below reads in the console with the demo key the local demo sign-in hands out (embedded only).
 */
export const DEMO_HUMAN_MUNICIPALITY = '0312';

export type DemoActorClaims = { readonly [R in Role]: Extract<ActorClaims, { readonly role: R }> };

/** One demo caller per role; subjects are fixed so audit entries of a demo session are recognisable. */
export const DEMO_ACTOR_CLAIMS: DemoActorClaims = Object.freeze({
  school_staff: {
    role: 'school_staff',
    sub: 'demo-school-staff',
    board: DEMO_BOARD,
    schools: [DEMO_SCHOOL, DEMO_SCHOOL_B],
  },
  integration_client: {
    role: 'integration_client',
    sub: 'demo-integration-client',
    board: DEMO_BOARD,
    school: DEMO_SCHOOL,
    system: DEMO_SYSTEM,
  },
  privacy_officer: { role: 'privacy_officer', sub: 'demo-privacy-officer', board: DEMO_BOARD },
  auditor: { role: 'auditor', sub: 'demo-auditor', board: DEMO_BOARD },
  leerplicht_officer: {
    role: 'leerplicht_officer',
    sub: 'demo-leerplicht-officer',
    municipalities: [DEMO_MUNICIPALITY],
  },
  doorstroompunt_officer: {
    role: 'doorstroompunt_officer',
    sub: 'demo-doorstroompunt-officer',
    region: DEMO_REGION,
  },
  board_admin: { role: 'board_admin', sub: 'demo-board-admin', board: DEMO_BOARD },
});

/**
 * Demo users beyond one per role: a second privacy officer of the demo board, so the four-eyes approval of a
 * policy version can be tried end to end on a fresh `npm start` (issue 11); the officer of the demo municipality a
 * person handles (issue 14).
 */
export const DEMO_EXTRA_ACTOR_CLAIMS: readonly ActorClaims[] = Object.freeze([
  { role: 'privacy_officer', sub: 'demo-privacy-officer-2', board: DEMO_BOARD },
  // The officer of the municipality a person handles (issue 14); the first officer's 0344 is the simulator's.
  {
    role: 'leerplicht_officer',
    sub: 'demo-leerplicht-officer-bunnik',
    municipalities: [DEMO_HUMAN_MUNICIPALITY],
  },
]);

/** Every demo actor: one per role in ROLES order, then the extra ones. */
export function allDemoActorClaims(): ActorClaims[] {
  return [...ROLES.map((role) => DEMO_ACTOR_CLAIMS[role]), ...DEMO_EXTRA_ACTOR_CLAIMS];
}
