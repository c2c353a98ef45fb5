import { useOutletContext } from 'react-router';
import type { SignedIn } from '../api/types.js';

/** The signed-in person of the pages behind SignedInLayout. */
export function useSignedIn(): SignedIn {
  return useOutletContext<SignedIn>();
}

/** The schools a person may work for (school staff); others have none in the school workspace. */
export function schoolsOf(session: SignedIn): readonly string[] {
  return session.actor.role === 'school_staff' ? session.actor.schools : [];
}
