import { Link, useLocation } from 'react-router';
import { type PolicyOverview, usePolicyListing, usePolicyOverview } from '../../api/policy.js';
import { PageHeading } from '../../components/page-heading.js';
import { Loading, Notice, Problem } from '../../components/problem.js';
import { formatDate, formatDateTime } from '../../labels/format.js';
import {
  CATEGORY_LABELS,
  POLICY_STATUS_LABELS,
  REPORT_KIND_LABELS,
  RETENTION_CATEGORY_LABELS,
  label,
} from '../../labels/labels.js';

/** "de leerplichtafdeling" → "De leerplichtafdeling" at the start of a heading. */
const capitalised = (text: string) => text.charAt(0).toLocaleUpperCase('nl-NL') + text.slice(1);

function conditionsText(flow: PolicyOverview['flows'][number]): string {
  const all = [...flow.conditions];
  if (flow.categories) {
    all.push(
      `bij verzuim: ${flow.categories.map((c) => label(CATEGORY_LABELS, c).toLowerCase()).join(' of ')}`,
    );
  }
  return all.length === 0 ? 'altijd' : all.join('; ');
}
import { fieldName } from '../report-fields.js';
import { withFieldNames } from './policy-parts.js';
import { useSignedIn } from '../signed-in.js';

function Flows({ overview }: { overview: PolicyOverview }) {
  return (
    <section aria-labelledby="stromen-kop">
      <h2 className="utrecht-heading-2" id="stromen-kop">
        Wie krijgt welke gegevens
      </h2>
      {overview.flows.map((flow) => {
        const headingId = `stroom-${flow.rule}-${flow.recipient}-${flow.purpose}`;
        return (
          <section className="kp-card" key={headingId} aria-labelledby={headingId}>
            <h3 className="utrecht-heading-3" id={headingId}>
              {capitalised(flow.recipientName)}, voor {flow.purposeDescription}
            </h3>
            <p className="utrecht-paragraph">{flow.reason}.</p>
            <dl className="kp-summary">
              <div>
                <dt>Meldingen</dt>
                <dd>
                  {flow.reportKinds === null
                    ? 'alle'
                    : flow.reportKinds.map((k) => label(REPORT_KIND_LABELS, k)).join(', ')}
                </dd>
              </div>
              <div>
                <dt>Wanneer</dt>
                <dd>{conditionsText(flow)}</dd>
              </div>
              <div>
                <dt>Grondslag</dt>
                <dd>{flow.legalBasis}</dd>
              </div>
              <div>
                <dt>Bewaartermijn bij de ontvanger</dt>
                <dd>{flow.retentionText ?? 'niet vastgelegd'}</dd>
              </div>
            </dl>
            <p className="utrecht-paragraph">
              <strong>Gegevens die gedeeld mogen worden:</strong>{' '}
              {flow.fields.length === 0 ? 'geen' : [...new Set(flow.fields.map(fieldName))].join(', ')}.
            </p>
            {flow.withheldWhen.map((w) => (
              <p className="utrecht-paragraph kp-muted" key={w.reason}>
                Niet: {[...new Set(w.fields.map(fieldName))].join(', ')} — {w.reason}.
              </p>
            ))}
          </section>
        );
      })}
    </section>
  );
}

function Floor({ overview }: { overview: PolicyOverview }) {
  return (
    <section aria-labelledby="garanties-kop">
      <h2 className="utrecht-heading-2" id="garanties-kop">
        Wat altijd geldt
      </h2>
      <p className="utrecht-paragraph">
        Deze garanties volgen uit de wet. Ketenpoort bewijst ze voor elke versie van het beleid; geen beleid
        kan ze uitzetten.
      </p>
      <ul className="utrecht-unordered-list">
        {overview.floor.map((i) => (
          <li key={i.id}>
            <strong>{withFieldNames(i.description)}.</strong> {i.ground}
            {!i.groundConfirmed && (
              <>
                {' '}
                <span className="kp-status kp-status--warning">Grondslag niet bevestigd</span>
              </>
            )}
          </li>
        ))}
        {overview.ownInvariants.map((i) => (
          <li key={i.id}>
            <strong>{withFieldNames(i.description)}.</strong> (garantie van uw bestuur)
          </li>
        ))}
      </ul>
    </section>
  );
}

function Retention({ overview }: { overview: PolicyOverview }) {
  return (
    <section aria-labelledby="bewaren-kop">
      <h2 className="utrecht-heading-2" id="bewaren-kop">
        Hoe lang ketenpoort gegevens bewaart
      </h2>
      <ul className="utrecht-unordered-list">
        {overview.retention.map((r) => (
          <li key={r.category}>
            {RETENTION_CATEGORY_LABELS[r.category] ?? r.category}: {r.periods.join('; ')}
          </li>
        ))}
      </ul>
    </section>
  );
}

function History() {
  const listing = usePolicyListing();
  const session = useSignedIn();
  if (listing.isPending) return <Loading what="De versies" />;
  if (listing.isError) return <Problem error={listing.error} />;
  const versions = listing.data.items.flatMap((item) =>
    item.versions.map((v) => ({ ...v, policyId: item.policyId })),
  );
  // Submitted drafts of other officers; a draft not yet submitted shows in the history only.
  const pending = versions.filter((v) => v.status === 'SUBMITTED' && v.createdBy !== session.actor.subject);
  return (
    <>
      <section aria-labelledby="wacht-kop">
        <h2 className="utrecht-heading-2" id="wacht-kop">
          Wacht op uw goedkeuring
        </h2>
        {pending.length === 0 ? (
          <p className="utrecht-paragraph">Er wachten geen concepten van anderen op uw besluit.</p>
        ) : (
          <ul className="utrecht-unordered-list">
            {pending.map((v) => (
              <li key={`${v.policyId}/${v.version}`}>
                <Link
                  className="utrecht-link"
                  to={`/privacy/beleid/${encodeURIComponent(v.policyId)}/${encodeURIComponent(v.version)}`}
                >
                  Versie {v.version} beoordelen
                </Link>{' '}
                (geschreven door {v.createdBy}, aangeboden op {formatDateTime(v.submittedAt)})
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="versies-kop">
        <h2 className="utrecht-heading-2" id="versies-kop">
          Versies
        </h2>
        {versions.length === 0 ? (
          <p className="utrecht-paragraph">
            Uw bestuur heeft nog geen eigen versie; het standaardbeleid geldt.
          </p>
        ) : (
          <div className="utrecht-table-container utrecht-table-container--overflow-inline">
            <table className="utrecht-table utrecht-table--html-table">
              <caption className="utrecht-table__caption">Alle versies van het privacybeleid</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  {['Versie', 'Status', 'Geschreven', 'Besluit', 'In werking'].map((h) => (
                    <th className="utrecht-table__header-cell" scope="col" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {versions.map((v) => (
                  <tr className="utrecht-table__row" key={`${v.policyId}/${v.version}`}>
                    <th className="utrecht-table__header-cell" scope="row">
                      <Link
                        className="utrecht-link"
                        to={`/privacy/beleid/${encodeURIComponent(v.policyId)}/${encodeURIComponent(v.version)}`}
                      >
                        {v.version}
                      </Link>
                    </th>
                    <td className="utrecht-table__cell">{label(POLICY_STATUS_LABELS, v.status)}</td>
                    <td className="utrecht-table__cell">
                      {v.createdBy}, {formatDateTime(v.createdAt)}
                    </td>
                    <td className="utrecht-table__cell">
                      {v.approvedBy && `goedgekeurd door ${v.approvedBy}, ${formatDateTime(v.approvedAt)}`}
                      {v.rejectedBy &&
                        `afgewezen door ${v.rejectedBy}, ${formatDateTime(v.rejectedAt)}: ${v.rejectionReason ?? ''}`}
                      {!v.approvedBy && !v.rejectedBy && '—'}
                    </td>
                    <td className="utrecht-table__cell">
                      {v.tookEffectOn ? formatDate(v.tookEffectOn) : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

/**
 * The privacy officer's start page (issue 15 items 1 and 3): the policy in force in plain Dutch, the drafts
 * waiting for this officer, the version history, and the way to the editor.
 */
export function PolicyPage() {
  const overview = usePolicyOverview();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  return (
    <>
      <PageHeading title="Privacybeleid">Privacybeleid</PageHeading>
      {notice && (
        <Notice kind="ok">
          <p className="utrecht-paragraph">{notice}</p>
        </Notice>
      )}
      {overview.isPending && <Loading what="Het geldende beleid" />}
      {overview.isError && <Problem error={overview.error} />}
      {overview.data && (
        <p className="utrecht-paragraph">
          Nu geldt <strong>versie {overview.data.version}</strong>
          {overview.data.source === 'default'
            ? ', het standaardbeleid van ketenpoort'
            : `, geschreven door ${overview.data.createdBy ?? '—'} en goedgekeurd door ${overview.data.approvedBy ?? '—'} op ${formatDateTime(overview.data.approvedAt)}`}
          . Het beleid gaat in op {formatDate(overview.data.effectiveFrom)}.
        </p>
      )}
      <p className="utrecht-paragraph">
        <Link className="utrecht-link" to="/privacy/beleid/concept">
          Een nieuw concept schrijven
        </Link>
      </p>
      <History />
      {overview.data && (
        <>
          <Flows overview={overview.data} />
          <Retention overview={overview.data} />
          <Floor overview={overview.data} />
        </>
      )}
    </>
  );
}
