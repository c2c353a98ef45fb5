import { useQueryClient } from '@tanstack/react-query';
import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { policyActions, usePolicySimulation, usePolicyVersion } from '../../api/policy.js';
import { PageHeading } from '../../components/page-heading.js';
import { Loading, Notice, Problem } from '../../components/problem.js';
import { PolicyDiff } from '../../components/yaml-editor.js';
import { formatDate, formatDateTime } from '../../labels/format.js';
import { POLICY_STATUS_LABELS, label } from '../../labels/labels.js';
import { useSignedIn } from '../signed-in.js';
import { ProofResult, SimulationReport } from './policy-parts.js';

/**
 * One version for the second privacy officer (issue 15 item 3): the diff against the policy in force, the proof
 * and the simulation; approve, or reject with a reason. The author sees the same page without the buttons.
 */
export function PolicyReviewPage() {
  const { id = '', version = '' } = useParams();
  const session = useSignedIn();
  const stored = usePolicyVersion(id, version);
  const open = stored.data?.status === 'DRAFT' || stored.data?.status === 'SUBMITTED';
  const simulation = usePolicySimulation(id, version, open);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const queries = useQueryClient();
  const navigate = useNavigate();
  const reasonId = useId();

  const own = stored.data?.createdBy === session.actor.subject;

  async function act(action: () => Promise<unknown>, notice: string) {
    setBusy(true);
    setError(null);
    try {
      await action();
      await queries.invalidateQueries({ queryKey: ['policies'] });
      void navigate('/privacy/beleid', { state: { notice } });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const title = `Privacybeleid versie ${version}`;
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="utrecht-paragraph">
        <Link className="utrecht-link" to="/privacy/beleid">
          Terug naar het privacybeleid
        </Link>
      </p>
      {stored.isPending && <Loading what="De versie" />}
      {stored.isError && <Problem error={stored.error} />}
      {stored.data && (
        <dl className="kp-summary">
          <div>
            <dt>Status</dt>
            <dd>{label(POLICY_STATUS_LABELS, stored.data.status)}</dd>
          </div>
          <div>
            <dt>Geschreven door</dt>
            <dd>
              {stored.data.createdBy} op {formatDateTime(stored.data.createdAt)}
            </dd>
          </div>
          <div>
            <dt>Gaat in op</dt>
            <dd>{formatDate(stored.data.effectiveFrom)}</dd>
          </div>
          {stored.data.approvedBy && (
            <div>
              <dt>Goedgekeurd door</dt>
              <dd>
                {stored.data.approvedBy} op {formatDateTime(stored.data.approvedAt)}
              </dd>
            </div>
          )}
          {stored.data.rejectionReason && (
            <div>
              <dt>Afgewezen door</dt>
              <dd>
                {stored.data.rejectedBy} op {formatDateTime(stored.data.rejectedAt)}:{' '}
                {stored.data.rejectionReason}
              </dd>
            </div>
          )}
        </dl>
      )}
      {open && simulation.isPending && <Loading what="Bewijs en vergelijking" />}
      {simulation.isError && <Problem error={simulation.error} />}
      {simulation.data && stored.data && (
        <>
          <section aria-labelledby="bewijs-kop">
            <h2 className="utrecht-heading-2" id="bewijs-kop">
              Privacygaranties
            </h2>
            <ProofResult proof={simulation.data.proof} />
          </section>
          <section aria-labelledby="verschil-kop">
            <h2 className="utrecht-heading-2" id="verschil-kop">
              Verschil met het beleid dat nu geldt
            </h2>
            <p className="utrecht-paragraph kp-muted">Links het geldende beleid, rechts dit concept.</p>
            <PolicyDiff before={simulation.data.baselineText} after={stored.data.text} />
          </section>
          <SimulationReport simulation={simulation.data} />
        </>
      )}
      {open && own && (
        <Notice kind="info">
          <p className="utrecht-paragraph">
            U heeft dit concept geschreven. Een andere privacyfunctionaris keurt het goed of wijst het af.
          </p>
        </Notice>
      )}
      {open && !own && simulation.data && (
        <section aria-labelledby="besluit-kop" className="kp-card">
          <h2 className="utrecht-heading-2" id="besluit-kop">
            Uw besluit
          </h2>
          <Problem error={error} />
          <div className="kp-actions">
            <Button
              appearance="primary-action-button"
              disabled={busy || !simulation.data.proof.holds}
              onClick={() =>
                void act(() => policyActions.approve(id, version), `Versie ${version} is goedgekeurd.`)
              }
            >
              Goedkeuren
            </Button>
          </div>
          <FormField type="text">
            <div className="utrecht-form-field__label">
              <FormLabel htmlFor={reasonId}>Reden van afwijzing (verplicht om af te wijzen)</FormLabel>
            </div>
            <div className="utrecht-form-field__input">
              <textarea
                id={reasonId}
                className="utrecht-textarea utrecht-textarea--html-textarea"
                rows={3}
                maxLength={2000}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </div>
          </FormField>
          <div className="kp-actions">
            <Button
              appearance="secondary-action-button"
              disabled={busy || reason.trim() === ''}
              onClick={() =>
                void act(() => policyActions.reject(id, version, reason), `Versie ${version} is afgewezen.`)
              }
            >
              Afwijzen
            </Button>
          </div>
        </section>
      )}
    </>
  );
}
