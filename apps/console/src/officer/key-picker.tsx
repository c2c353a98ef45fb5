import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { useId, useState } from 'react';
import { Notice } from '../components/problem.js';
import { KeyFileError, forgetKey, loadKeyFile } from './key-store.js';
import { useLoadedKey } from './officer-api.js';

/**
 * Choose the municipality's key file (ADR 0023). The key stays in this tab's memory as a non-extractable key: it
 * is never sent to ketenpoort and never stored in the browser; after a reload the officer chooses it again.
 */
export function KeyPicker({ code, demoKeyCode }: { code: string; demoKeyCode: string | null }) {
  const key = useLoadedKey();
  const id = useId();
  const hintId = useId();
  const [error, setError] = useState<string | null>(null);
  if (key !== null && key.code === code) {
    return (
      <Notice kind="ok">
        <p className="utrecht-paragraph">
          De sleutel van gemeente {code} is geladen ({key.fileName}). Meldingen worden in deze browser
          ontsleuteld; de sleutel gaat niet naar ketenpoort en verdwijnt als u de pagina sluit of ververst.
        </p>
        <Button appearance="secondary-action-button" onClick={forgetKey}>
          Sleutel vergeten
        </Button>
      </Notice>
    );
  }
  return (
    <section aria-labelledby={`${id}-kop`} className="kp-card">
      <h2 className="utrecht-heading-2" id={`${id}-kop`}>
        Sleutel van de gemeente kiezen
      </h2>
      <p className="utrecht-paragraph" id={hintId}>
        De meldingen zijn versleuteld met de sleutel van uw gemeente; ketenpoort kan ze niet lezen. Kies het
        sleutelbestand van gemeente {code} om ze hier te lezen. De sleutel blijft in deze browser en wordt
        nergens opgeslagen.
        {demoKeyCode === code && (
          <>
            {' '}
            In de demo downloadt u de sleutel via{' '}
            <a
              className="utrecht-link"
              href={`/oidc/demo-keys/${encodeURIComponent(code)}.jwk.json`}
              download
            >
              demosleutel gemeente {code}
            </a>
            .
          </>
        )}
      </p>
      <FormField type="text">
        <div className="utrecht-form-field__label">
          <FormLabel htmlFor={id}>Sleutelbestand (JWK)</FormLabel>
        </div>
        <div className="utrecht-form-field__input">
          <input
            id={id}
            type="file"
            accept=".json,.jwk,application/json"
            aria-describedby={hintId}
            className="utrecht-textbox"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (!file) return;
              setError(null);
              loadKeyFile(file, code).catch((e: unknown) => {
                setError(e instanceof KeyFileError ? e.message : 'De sleutel kon niet worden geladen.');
              });
              event.target.value = '';
            }}
          />
        </div>
      </FormField>
      {error && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          <div className="utrecht-alert__content">
            <p className="utrecht-paragraph">{error}</p>
          </div>
        </div>
      )}
    </section>
  );
}
