import { useSendingParties } from '../api/queries.js';
import type { SendingPartyView } from '../api/types.js';
import { PageHeading } from '../components/page-heading.js';
import { Loading, Notice, Problem } from '../components/problem.js';
import { formatDateTime, formatInstantDate } from '../labels/format.js';
import {
  CERTIFICATE_STATE_LABELS,
  COPY_RECIPIENT_LABELS,
  SENDING_PARTY_KIND_LABELS,
  label,
} from '../labels/labels.js';

/** The API's Dutch warning about the certificate (expiring, expired, not yet valid), as a notice; none when valid. */
function certificateNotice(party: SendingPartyView) {
  const { state, warning } = party.certificateStatus;
  if (warning === null) return null;
  return (
    <Notice kind={state === 'NOT_YET_VALID' ? 'info' : 'warning'}>
      <p className="utrecht-paragraph">{warning}</p>
    </Notice>
  );
}

function SendingParty({ party }: { party: SendingPartyView }) {
  const headingId = `partij-${party.id}`;
  return (
    <section className="kp-card" aria-labelledby={headingId}>
      <h2 className="utrecht-heading-2" id={headingId}>
        {party.name}
      </h2>
      {certificateNotice(party)}
      <dl className="kp-summary">
        <div>
          <dt>Soort</dt>
          <dd>{label(SENDING_PARTY_KIND_LABELS, party.kind)}</dd>
        </div>
        <div>
          <dt>OIN</dt>
          <dd>{party.oin}</dd>
        </div>
        <div>
          <dt>Adres bij DUO</dt>
          <dd>{party.endpoint ?? 'Het standaardadres van deze installatie'}</dd>
        </div>
        <div>
          <dt>Certificaat</dt>
          <dd>
            <span className={`kp-status kp-status--${party.certificateStatus.state.toLowerCase()}`}>
              {label(CERTIFICATE_STATE_LABELS, party.certificateStatus.state)}
            </span>{' '}
            geldig van {formatInstantDate(party.certificate.notBefore)} tot en met{' '}
            {formatInstantDate(party.certificate.notAfter)}
          </dd>
        </div>
        <div>
          <dt>Houder</dt>
          <dd>{party.certificate.subject}</dd>
        </div>
        <div>
          <dt>Uitgegeven door</dt>
          <dd>{party.certificate.issuer}</dd>
        </div>
        <div>
          <dt>Laatst gewijzigd</dt>
          <dd>{formatDateTime(party.updatedAt)}</dd>
        </div>
      </dl>
      <div className="utrecht-table-container utrecht-table-container--overflow-inline">
        <table className="utrecht-table utrecht-table--html-table">
          <caption className="utrecht-table__caption">Scholen waarvoor deze partij meldt</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th className="utrecht-table__header-cell" scope="col">
                School (BRIN)
              </th>
              <th className="utrecht-table__header-cell" scope="col">
                Locatie
              </th>
              <th className="utrecht-table__header-cell" scope="col">
                Contactpersoon voor DUO
              </th>
              <th className="utrecht-table__header-cell" scope="col">
                Kopie van DUO&apos;s e-mail naar
              </th>
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {party.schools.map((school) => (
              <tr className="utrecht-table__row" key={school.brin}>
                <td className="utrecht-table__cell">{school.brin}</td>
                <td className="utrecht-table__cell">{school.locationName ?? '—'}</td>
                <td className="utrecht-table__cell">
                  {school.contact?.name ?? '—'}
                  {school.contact?.role && <div className="kp-muted">{school.contact.role}</div>}
                </td>
                <td className="utrecht-table__cell">
                  {school.copyRecipient ? label(COPY_RECIPIENT_LABELS, school.copyRecipient) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * The board administrator's page: the board's sending parties towards DUO (ADR 0014), each with its OIN, the
 * state of its PKIoverheid certificate in words and the schools it reports for. Uploading stays an API call for
 * now (`PUT /v1/sending-parties/{id}`), since a certificate and its key come from the board's IT.
 */
export function SendingPartiesPage() {
  const parties = useSendingParties();
  return (
    <>
      <PageHeading title="Verzendende partijen (DUO)">Verzendende partijen (DUO)</PageHeading>
      <p className="utrecht-paragraph">
        Een verzendende partij verstuurt de verzuimmeldingen van uw scholen naar DUO, met een eigen
        PKIoverheid-certificaat en OIN. Ketenpoort waarschuwt 30 dagen voordat een certificaat verloopt.
      </p>
      {parties.isPending && <Loading what="Verzendende partijen" />}
      {parties.isError && <Problem error={parties.error} />}
      {parties.data && parties.data.items.length === 0 && (
        <Notice kind="info">
          <p className="utrecht-paragraph">
            Uw bestuur heeft nog geen eigen verzendende partij. Meldingen aan DUO gaan tot die tijd met het
            certificaat en OIN uit de instellingen van deze installatie. Een certificaat uploadt u via de
            koppeling van uw IT-afdeling (<a href="/docs">API-documentatie</a>, verzendende partijen).
          </p>
        </Notice>
      )}
      {parties.data?.items.map((party) => (
        <SendingParty key={party.id} party={party} />
      ))}
    </>
  );
}
