import type { PolicyProof, ProofFailure, Simulation } from '../../api/policy.js';
import { Notice } from '../../components/problem.js';
import { formatDate } from '../../labels/format.js';
import {
  FIELD_LABELS,
  PURPOSE_LABELS,
  RECIPIENT_KIND_LABELS,
  REPORT_KIND_LABELS,
  label,
} from '../../labels/labels.js';
import { fieldName } from '../report-fields.js';

const FIELD_PATH =
  /\b(?:pupil|parent|school|education|absence|report|reporter|registration|health)\.[A-Za-z]+\b/g;

/** A Dutch sentence with the field paths in it replaced by their Dutch names ("pupil.bsn" → "Burgerservicenummer (BSN)"). */
export function withFieldNames(text: string): string {
  return text.replace(FIELD_PATH, (path) => (FIELD_LABELS[path] ? fieldName(path) : path));
}

function counterexampleText(f: ProofFailure): string {
  const r = f.counterexample.request;
  const parts = [
    `${fieldName(f.counterexample.field)} zou naar ${label(RECIPIENT_KIND_LABELS, r.recipient.kind)} gaan`,
    `voor ${PURPOSE_LABELS[r.purpose] ?? r.purpose}`,
  ];
  if (r.reportKind) parts.push(`bij een melding "${label(REPORT_KIND_LABELS, r.reportKind)}"`);
  parts.push(`over een leerling van ${r.pupil.ageAtDate} jaar`);
  return `${parts.join(' ')}, vanaf ${formatDate(f.counterexample.at.slice(0, 10))} (regel "${f.counterexample.releasedBy}").`;
}

/** The proof in Dutch: every guarantee holds, or each one that breaks with an example. */
export function ProofResult({ proof }: { proof: PolicyProof }) {
  if (proof.holds) {
    return (
      <Notice kind="ok">
        <p className="utrecht-paragraph">
          Alle privacygaranties blijven gelden ({proof.invariants.length} garanties, gecontroleerd over{' '}
          {proof.combinationsChecked.toLocaleString('nl-NL')} situaties).
        </p>
      </Notice>
    );
  }
  return (
    <div className="utrecht-alert utrecht-alert--error" role="alert">
      <div className="utrecht-alert__content">
        <p className="utrecht-paragraph">
          <strong>
            Dit concept breekt{' '}
            {proof.failing.length === 1 ? 'een privacygarantie' : `${proof.failing.length} privacygaranties`}.
          </strong>{' '}
          Het kan zo niet worden aangeboden of goedgekeurd.
        </p>
        <ul className="utrecht-unordered-list">
          {proof.failing.map((f) => (
            <li key={f.invariant}>
              <strong>{withFieldNames(f.message)}</strong>
              {f.source === 'floor' ? ' (wettelijke garantie)' : ' (garantie van uw bestuur)'}. Voorbeeld:{' '}
              {counterexampleText(f)}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function fieldList(counts: Readonly<Record<string, number>> | undefined): string {
  const names = Object.keys(counts ?? {}).map(fieldName);
  return names.length === 0 ? '—' : [...new Set(names)].join(', ');
}

/** What the draft decides differently from the policy in force, per recipient. */
export function SimulationReport({ simulation }: { simulation: Simulation }) {
  const recipients = [
    ...new Set([
      ...Object.keys(simulation.domain.newlyReleased),
      ...Object.keys(simulation.domain.newlyWithheld),
      ...Object.keys(simulation.byRecipient),
    ]),
  ].sort();
  return (
    <section aria-labelledby="simulatie-kop">
      <h2 className="utrecht-heading-2" id="simulatie-kop">
        Wat verandert er
      </h2>
      <p className="utrecht-paragraph">
        Vergeleken met versie {simulation.baseline.version}
        {simulation.baseline.source === 'default' ? ' (standaardbeleid van ketenpoort)' : ''}:{' '}
        {simulation.domain.combinationsChanged.toLocaleString('nl-NL')} van{' '}
        {simulation.domain.combinationsChecked.toLocaleString('nl-NL')} mogelijke situaties krijgen een ander
        besluit. Van de {simulation.requests} verzoeken van de afgelopen {simulation.days} dagen zouden er{' '}
        {simulation.changed} anders uitvallen.
      </p>
      {simulation.droppedInvariants.length > 0 && (
        <Notice kind="warning">
          <p className="utrecht-paragraph">
            Dit concept laat garanties van uw bestuur vervallen: {simulation.droppedInvariants.join(', ')}.
          </p>
        </Notice>
      )}
      {recipients.length === 0 ? (
        <p className="utrecht-paragraph">Geen enkele ontvanger krijgt meer of minder gegevens.</p>
      ) : (
        <div className="utrecht-table-container utrecht-table-container--overflow-inline">
          <table className="utrecht-table utrecht-table--html-table">
            <caption className="utrecht-table__caption">Gegevens per ontvanger</caption>
            <thead className="utrecht-table__header">
              <tr className="utrecht-table__row">
                <th className="utrecht-table__header-cell" scope="col">
                  Ontvanger
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  Krijgt voortaan ook
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  Krijgt voortaan niet meer
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  Recente verzoeken die veranderen
                </th>
              </tr>
            </thead>
            <tbody className="utrecht-table__body">
              {recipients.map((r) => {
                const replay = simulation.byRecipient[r];
                const replayed =
                  Object.values(replay?.newlyReleased ?? {}).reduce((a, b) => a + b, 0) +
                  Object.values(replay?.newlyWithheld ?? {}).reduce((a, b) => a + b, 0);
                return (
                  <tr className="utrecht-table__row" key={r}>
                    <th className="utrecht-table__header-cell" scope="row">
                      {label(RECIPIENT_KIND_LABELS, r)}
                    </th>
                    <td className="utrecht-table__cell">{fieldList(simulation.domain.newlyReleased[r])}</td>
                    <td className="utrecht-table__cell">{fieldList(simulation.domain.newlyWithheld[r])}</td>
                    <td className="utrecht-table__cell">
                      {replayed === 0 ? 'geen' : `${replayed} gegevens`}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
