import { Button } from '@utrecht/button-react';
import { useQueryClient } from '@tanstack/react-query';
import { NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { api } from '../api/client.js';
import { useSession } from '../api/queries.js';
import type { Actor } from '../api/types.js';
import { ROLE_LABELS, label } from '../labels/labels.js';
import { Loading, Problem } from './problem.js';

/** `end`: active on exactly this path only (not on the paths below it). */
type NavItems = readonly { to: string; text: string; end?: boolean }[];
const STAFF_NAV: NavItems = [
  { to: '/werkvoorraad', text: 'Werkvoorraad' },
  { to: '/meldingen', text: 'Meldingen' },
  { to: '/keten', text: 'Keten' },
  { to: '/quarantaine', text: 'Quarantaine en koppelingen' },
  { to: '/importeren', text: 'Importeren' },
  { to: '/analyse', text: 'Analyse' },
];
const BOARD_ADMIN_NAV: NavItems = [{ to: '/verzendende-partijen', text: 'Verzendende partijen (DUO)' }];
const OFFICER_NAV: NavItems = [{ to: '/gemeente', text: 'Meldingen gemeente' }];
const PRIVACY_OFFICER_NAV: NavItems = [
  { to: '/privacy/beleid', text: 'Privacybeleid', end: true },
  { to: '/privacy/beleid/concept', text: 'Nieuw concept' },
  { to: '/privacy/auditlog', text: 'Auditlog' },
  { to: '/privacy/inzage', text: 'Inzageverzoek' },
  { to: '/privacy/bewaartermijnen', text: 'Bewaartermijnen' },
  { to: '/privacy/verwerkingsregister', text: 'Verwerkingsregister' },
];
/** The auditor reads the privacy officer's records; changes nothing. */
const AUDITOR_NAV: NavItems = [
  { to: '/privacy/auditlog', text: 'Auditlog' },
  { to: '/privacy/bewaartermijnen', text: 'Bewaartermijnen' },
  { to: '/privacy/verwerkingsregister', text: 'Verwerkingsregister' },
];

/** The menu of a role's workspace; roles whose workspace is still to come have none. */
function navFor(actor: Actor | null): NavItems {
  if (actor?.role === 'school_staff') return STAFF_NAV;
  if (actor?.role === 'board_admin') return BOARD_ADMIN_NAV;
  if (actor?.role === 'privacy_officer') return PRIVACY_OFFICER_NAV;
  if (actor?.role === 'auditor') return AUDITOR_NAV;
  if (actor?.role === 'leerplicht_officer' || actor?.role === 'doorstroompunt_officer') return OFFICER_NAV;
  return [];
}

function Header({ actor, name }: { actor: Actor | null; name: string | null }) {
  const queries = useQueryClient();
  const signOut = async () => {
    const { location } = await api<{ location: string }>('/auth/logout', { method: 'POST' });
    queries.clear();
    window.location.assign(location);
  };
  return (
    <header className="kp-header">
      <div className="kp-header__bar">
        <a className="kp-brand" href="/">
          ketenpoort
        </a>
        {actor && (
          <div className="kp-user">
            <span>{name ?? label(ROLE_LABELS, actor.role)}</span>
            <Button appearance="secondary-action-button" onClick={() => void signOut()}>
              Afmelden
            </Button>
          </div>
        )}
      </div>
      {navFor(actor).length > 0 && (
        <nav className="kp-nav" aria-label="Hoofdmenu">
          <ul>
            {navFor(actor).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end ?? false}>
                  {item.text}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </header>
  );
}

/** Skip link, header and navigation, and the page's content in <main>. */
export function Frame({
  actor,
  name,
  children,
}: {
  actor: Actor | null;
  name: string | null;
  children: React.ReactNode;
}) {
  return (
    <>
      <a className="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">
        Naar de inhoud
      </a>
      <Header actor={actor} name={name} />
      <main id="inhoud" className="kp-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="kp-footer">
        <p className="utrecht-paragraph utrecht-paragraph--small">
          ketenpoort · <a href="/docs">API-documentatie</a>
        </p>
      </footer>
    </>
  );
}

/** Pages behind sign-in: anyone not signed in goes to the sign-in page and comes back here afterwards. */
export function SignedInLayout() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) {
    return (
      <Frame actor={null} name={null}>
        <Loading what="Sessie" />
      </Frame>
    );
  }
  if (session.isError) {
    return (
      <Frame actor={null} name={null}>
        <Problem error={session.error} />
      </Frame>
    );
  }
  if (!session.data.signedIn) {
    const returnTo = `${location.pathname}${location.search}`;
    return <Navigate to={`/aanmelden?returnTo=${encodeURIComponent(returnTo)}`} replace />;
  }
  return (
    <Frame actor={session.data.actor} name={session.data.name}>
      <Outlet context={session.data} />
    </Frame>
  );
}
