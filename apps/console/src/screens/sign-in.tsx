import { useSearchParams } from 'react-router';
import { useSession } from '../api/queries.js';
import { Frame } from '../components/layout.js';
import { PageHeading } from '../components/page-heading.js';
import { Notice } from '../components/problem.js';
import { errorText } from '../labels/labels.js';

/** Sign-in: one button to the identity provider (the gateway runs the OIDC flow, ADR 0016). */
export function SignInPage() {
  const [params] = useSearchParams();
  const session = useSession();
  const returnTo = params.get('returnTo') ?? '/meldingen';
  const failure = params.get('fout');
  const available = session.data?.signedIn === false ? session.data.signInAvailable : true;
  return (
    <Frame actor={null} name={null}>
      <PageHeading title="Aanmelden">Aanmelden bij ketenpoort</PageHeading>
      <p className="utrecht-paragraph utrecht-paragraph--lead">
        ketenpoort brengt de verzuimregistratie van uw school naar DUO en de leerplichtambtenaar van de
        gemeente.
      </p>
      {failure && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          <div className="utrecht-alert__content">
            <p className="utrecht-paragraph">{errorText(failure)}</p>
          </div>
        </div>
      )}
      {available ? (
        <p className="utrecht-paragraph">
          <a
            className="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action kp-button-link"
            href={`/auth/login?returnTo=${encodeURIComponent(returnTo)}`}
          >
            Aanmelden
          </a>
        </p>
      ) : (
        <Notice kind="warning">
          <p className="utrecht-paragraph">{errorText('SIGN_IN_NOT_CONFIGURED')}</p>
        </Notice>
      )}
      <p className="utrecht-paragraph utrecht-paragraph--small">
        U meldt zich aan bij de aanmeldvoorziening van uw school of gemeente. In de demo kiest u daar een
        demogebruiker, bijvoorbeeld de schoolmedewerker.
      </p>
    </Frame>
  );
}

export function SignedOutPage() {
  return (
    <Frame actor={null} name={null}>
      <PageHeading title="Afgemeld">U bent afgemeld</PageHeading>
      <p className="utrecht-paragraph">Uw sessie bij ketenpoort is beëindigd.</p>
      <p className="utrecht-paragraph">
        <a className="utrecht-link" href="/aanmelden">
          Opnieuw aanmelden
        </a>
      </p>
    </Frame>
  );
}

export function NotFoundPage() {
  return (
    <>
      <PageHeading title="Niet gevonden">Deze pagina bestaat niet</PageHeading>
      <p className="utrecht-paragraph">
        <a className="utrecht-link" href="/meldingen">
          Ga naar de meldingen
        </a>
      </p>
    </>
  );
}
