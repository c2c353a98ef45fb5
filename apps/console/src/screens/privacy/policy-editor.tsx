import { useQueryClient } from '@tanstack/react-query';
import { Button } from '@utrecht/button-react';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client.js';
import {
  type PolicyDraftCheck,
  checkPolicyText,
  policyActions,
  policyKeys,
  useEffectivePolicy,
  usePolicyListing,
} from '../../api/policy.js';
import { PageHeading } from '../../components/page-heading.js';
import { Loading, Notice, Problem } from '../../components/problem.js';
import { PolicyDiff, type TextProblem, YamlEditor } from '../../components/yaml-editor.js';
import { POLICY_ISSUE_LABELS } from '../../labels/labels.js';
import { ProofResult, SimulationReport } from './policy-parts.js';

const CHECK_DELAY_MS = 700;

/** The server checks the text a moment after the officer stops typing; the last answer wins. */
function useDraftCheck(text: string | null) {
  const [check, setCheck] = useState<PolicyDraftCheck | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    if (text === null || text.trim() === '') return;
    let current = true;
    setChecking(true);
    const timer = setTimeout(() => {
      checkPolicyText(text)
        .then((answer) => {
          if (!current) return;
          setCheck(answer);
          setError(null);
        })
        .catch((e: unknown) => current && setError(e))
        .finally(() => current && setChecking(false));
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);
  return { check, error, checking };
}

/**
 * The policy editor (issue 15 item 2): the YAML in CodeMirror, checked by the server as you type (problems at
 * their line and column, the proof, the comparison with the policy in force); stored and submitted for a
 * second privacy officer's approval in one step.
 */
export function PolicyEditorPage() {
  const listing = usePolicyListing();
  const effective = useEffectivePolicy(listing.data?.inForce.id);
  const [text, setText] = useState<string | null>(null);
  const { check, error, checking } = useDraftCheck(text);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [goTo, setGoTo] = useState<{ line: number; column: number } | null>(null);
  const navigate = useNavigate();
  const queries = useQueryClient();

  useEffect(() => {
    if (text === null && effective.data) setText(effective.data.text);
  }, [effective.data, text]);

  const problems: TextProblem[] = useMemo(
    () =>
      (check?.issues ?? []).map((i) => ({
        line: i.line ?? 1,
        column: i.column ?? 1,
        message: POLICY_ISSUE_LABELS[i.code] ?? 'Dit klopt niet volgens de regels van het beleid.',
      })),
    [check],
  );

  const ready = check?.valid === true && check.proof?.holds === true && !check.versionExists && !checking;

  async function submit() {
    if (!text || !check?.policy) return;
    setSaving(true);
    setSaveError(null);
    try {
      const stored = await policyActions.store(text);
      await policyActions.submit(stored.policyId, stored.version);
      await queries.invalidateQueries({ queryKey: policyKeys.listing });
      void navigate('/privacy/beleid', {
        state: {
          notice: `Versie ${stored.version} is ter goedkeuring aangeboden aan een tweede privacyfunctionaris.`,
        },
      });
    } catch (e) {
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <PageHeading title="Concept privacybeleid">Concept privacybeleid</PageHeading>
      <p className="utrecht-paragraph">
        U begint met de tekst van het beleid dat nu geldt. Geef uw concept een nieuw versienummer (
        <code>version</code>) en een ingangsdatum (<code>effectiveFrom</code>). Ketenpoort controleert de
        tekst terwijl u typt en bewijst dat de privacygaranties blijven gelden. Een tweede privacyfunctionaris
        keurt het concept goed.
      </p>
      {(listing.isPending || effective.isPending) && <Loading what="Het geldende beleid" />}
      {listing.isError && <Problem error={listing.error} />}
      {effective.isError && <Problem error={effective.error} />}
      {text !== null && (
        <>
          <h2 className="utrecht-heading-2" id="editor-kop">
            Tekst van het beleid (YAML)
          </h2>
          <p className="utrecht-paragraph kp-muted" id="editor-hulp">
            De Tab-toets laat in de tekst inspringen. Met Escape en daarna Tab verlaat u het tekstvak.
          </p>
          <YamlEditor
            value={text}
            onChange={setText}
            problems={problems}
            label="Tekst van het privacybeleid (YAML)"
            describedBy="editor-hulp"
            goTo={goTo}
          />
          <div aria-live="polite" className="kp-check-state">
            {checking && <p className="utrecht-paragraph">Controleren…</p>}
            {!checking && check && !check.valid && (
              <div className="utrecht-alert utrecht-alert--error">
                <div className="utrecht-alert__content">
                  <p className="utrecht-paragraph">
                    <strong>
                      De tekst bevat {problems.length === 1 ? 'een fout' : `${problems.length} fouten`}.
                    </strong>
                  </p>
                  <ul className="utrecht-unordered-list kp-issues">
                    {problems.map((p, index) => (
                      <li key={index}>
                        <button
                          type="button"
                          className="kp-link-button"
                          onClick={() => setGoTo({ line: p.line, column: p.column })}
                        >
                          Regel {p.line}, kolom {p.column}
                        </button>
                        : {p.message}
                      </li>
                    ))}
                  </ul>
                </div>
              </div>
            )}
            {!checking && check?.versionExists && (
              <Notice kind="warning">
                <p className="utrecht-paragraph">
                  Versie {check.policy?.version} bestaat al. Kies een nieuw versienummer.
                </p>
              </Notice>
            )}
          </div>
          {error !== null && <Problem error={error} />}
          {check?.proof && (
            <section aria-labelledby="bewijs-kop">
              <h2 className="utrecht-heading-2" id="bewijs-kop">
                Privacygaranties
              </h2>
              <ProofResult proof={check.proof} />
            </section>
          )}
          {check?.simulation && (
            <>
              <section aria-labelledby="verschil-kop">
                <h2 className="utrecht-heading-2" id="verschil-kop">
                  Verschil met het beleid dat nu geldt
                </h2>
                <p className="utrecht-paragraph kp-muted">Links het geldende beleid, rechts uw concept.</p>
                <PolicyDiff before={check.simulation.baselineText} after={text} />
              </section>
              <SimulationReport simulation={check.simulation} />
            </>
          )}
          {saveError !== null && (
            <Problem error={saveError instanceof ApiError ? saveError : new ApiError(0, 'HTTP_ERROR')} />
          )}
          <div className="kp-actions">
            <Button
              appearance="primary-action-button"
              disabled={!ready || saving}
              onClick={() => void submit()}
            >
              Opslaan en ter goedkeuring aanbieden
            </Button>
          </div>
        </>
      )}
    </>
  );
}
