import { Button } from '@utrecht/button-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { keys, useChainSummary, useDeadLetters, useWorkQueue } from '../api/queries.js';
import type { Delivery } from '../api/types.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { PageHeading } from '../components/page-heading.js';
import { Loading, Notice, Problem } from '../components/problem.js';
import { formatDateTime } from '../labels/format.js';
import {
  DELIVERY_OPERATION_LABELS,
  DESTINATION_LABELS,
  REPORT_STATUS_LABELS,
  deliveryProblemText,
  label,
} from '../labels/labels.js';

function DeliveryTable(props: {
  caption: string;
  items: readonly Delivery[];
  onReplay: (d: Delivery) => void;
  showReason: boolean;
}) {
  return (
    <div className="utrecht-table-container utrecht-table-container--overflow-inline">
      <table className="utrecht-table utrecht-table--html-table">
        <caption className="utrecht-table__caption">{props.caption}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            <th className="utrecht-table__header-cell" scope="col">
              Melding
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              Bestemming
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              Laatste poging
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              Wat te doen
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              <span className="kp-visually-hidden">Actie</span>
            </th>
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {props.items.map((d) => (
            <tr className="utrecht-table__row" key={d.id}>
              <td className="utrecht-table__cell">
                <Link className="utrecht-link" to={`/meldingen/${d.school}/${d.reportId}`}>
                  {label(DELIVERY_OPERATION_LABELS, d.operation)}, school {d.school}
                </Link>
              </td>
              <td className="utrecht-table__cell">{label(DESTINATION_LABELS, d.destination)}</td>
              <td className="utrecht-table__cell">
                {formatDateTime(d.updatedAt)}
                <div className="kp-muted">
                  {d.attempts} {d.attempts === 1 ? 'poging' : 'pogingen'}
                </div>
              </td>
              <td className="utrecht-table__cell">
                {d.lastError ? deliveryProblemText(d.lastError.code) : '—'}
                {props.showReason && d.lastError && (
                  <div className="kp-muted">Reden van de bestemming: {d.lastError.reason}</div>
                )}
              </td>
              <td className="utrecht-table__cell">
                <Button appearance="secondary-action-button" onClick={() => props.onReplay(d)}>
                  Opnieuw versturen
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Refused deliveries (work queue) and deliveries whose retries ran out (dead letters), each with replay. */
export function ChainPage() {
  const queries = useQueryClient();
  const work = useWorkQueue();
  const dead = useDeadLetters();
  const summary = useChainSummary();
  const [replaying, setReplaying] = useState<Delivery | null>(null);
  const [done, setDone] = useState(false);
  const replay = useMutation({
    mutationFn: (d: Delivery) => api<Delivery>(`/v1/deliveries/${d.id}/replay`, { method: 'POST' }),
    onSuccess: () => {
      setReplaying(null);
      setDone(true);
      void queries.invalidateQueries({ queryKey: keys.workQueue });
      void queries.invalidateQueries({ queryKey: keys.deadLetters });
    },
  });
  return (
    <>
      <PageHeading title="Keten">Keten: wat vastzit</PageHeading>
      <p className="utrecht-paragraph">
        Verzendingen die DUO of de gemeente weigerde, en verzendingen die na alle pogingen niet zijn
        aangekomen. Los de oorzaak op en verstuur ze opnieuw; ketenpoort controleert dan eerst opnieuw het
        privacybeleid en de bewaartermijn.
      </p>
      {done && (
        <Notice kind="ok">
          <p className="utrecht-paragraph">De verzending staat weer klaar en wordt zo verstuurd.</p>
        </Notice>
      )}
      <Problem error={work.error ?? dead.error ?? replay.error} />
      {summary.data && (
        <>
          <h2 className="utrecht-heading-2">Stand van de meldingen</h2>
          <ul className="kp-counts">
            {['APPROVED', 'QUEUED', 'SENT', 'REGISTERED', 'IN_BEHANDELING', 'AFGESLOTEN', 'REJECTED'].map(
              (status) => (
                <li key={status}>
                  <strong>{summary.data.reports[status] ?? 0}</strong>
                  {label(REPORT_STATUS_LABELS, status)}
                </li>
              ),
            )}
          </ul>
        </>
      )}
      <h2 className="utrecht-heading-2">Geweigerd</h2>
      {work.isPending ? (
        <Loading what="Geweigerde verzendingen" />
      ) : (work.data?.items.length ?? 0) === 0 ? (
        <p className="utrecht-paragraph">Er zijn geen geweigerde verzendingen.</p>
      ) : (
        <DeliveryTable
          caption="Geweigerde verzendingen"
          items={work.data!.items}
          onReplay={setReplaying}
          showReason
        />
      )}
      <h2 className="utrecht-heading-2">Niet aangekomen na alle pogingen</h2>
      {dead.isPending ? (
        <Loading what="Vastgelopen verzendingen" />
      ) : (dead.data?.items.length ?? 0) === 0 ? (
        <p className="utrecht-paragraph">Er zijn geen vastgelopen verzendingen.</p>
      ) : (
        <DeliveryTable
          caption="Vastgelopen verzendingen"
          items={dead.data!.items}
          onReplay={setReplaying}
          showReason={false}
        />
      )}
      <ConfirmDialog
        open={replaying !== null}
        title="Opnieuw versturen?"
        confirmLabel="Opnieuw versturen"
        busy={replay.isPending}
        onConfirm={() => replaying && replay.mutate(replaying)}
        onCancel={() => setReplaying(null)}
      >
        <p className="utrecht-paragraph">
          ketenpoort controleert het privacybeleid en de bewaartermijn opnieuw en verstuurt de melding dan nog
          een keer naar {replaying ? label(DESTINATION_LABELS, replaying.destination) : 'de bestemming'}.
        </p>
      </ConfirmDialog>
    </>
  );
}
