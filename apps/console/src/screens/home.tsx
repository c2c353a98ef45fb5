import { Navigate } from 'react-router';
import { PageHeading } from '../components/page-heading.js';
import { ROLE_LABELS, label } from '../labels/labels.js';
import { useSignedIn } from './signed-in.js';

/** The start page: school staff go to their werkvoorraad; other roles' workspaces follow in later issues. */
export function HomePage() {
  const session = useSignedIn();
  if (session.actor.role === 'school_staff') return <Navigate to="/werkvoorraad" replace />;
  if (session.actor.role === 'board_admin') return <Navigate to="/verzendende-partijen" replace />;
  if (session.actor.role === 'privacy_officer') return <Navigate to="/privacy/beleid" replace />;
  if (session.actor.role === 'auditor') return <Navigate to="/privacy/auditlog" replace />;
  if (session.actor.role === 'leerplicht_officer' || session.actor.role === 'doorstroompunt_officer') {
    return <Navigate to="/gemeente" replace />;
  }
  return (
    <>
      <PageHeading title="Welkom">Welkom, {label(ROLE_LABELS, session.actor.role).toLowerCase()}</PageHeading>
      <p className="utrecht-paragraph">
        De werkruimte voor uw rol komt in een volgende versie van de console. Tot die tijd vindt u alles in de{' '}
        <a className="utrecht-link" href="/docs">
          API-documentatie
        </a>
        .
      </p>
    </>
  );
}
