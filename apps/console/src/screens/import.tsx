import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, upload } from '../api/client.js';
import type { IngestResult } from '../api/types.js';
import { SchoolSelect, SelectField } from '../components/fields.js';
import { PageHeading } from '../components/page-heading.js';
import { Notice, Problem } from '../components/problem.js';
import { SOURCE_SYSTEM_LABELS } from '../labels/labels.js';
import { schoolsOf, useSignedIn } from './signed-in.js';

const SYSTEMS = Object.entries(SOURCE_SYSTEM_LABELS).map(([value, text]) => ({ value, text }));

function contentTypeOf(file: File): string {
  if (/\.xml$/i.test(file.name)) return 'application/xml';
  if (/\.csv$/i.test(file.name)) return 'text/csv';
  return 'application/json';
}

/** Upload a school system's export file: the same ingest as the API, with upload progress and the result. */
export function ImportPage() {
  const session = useSignedIn();
  const schools = schoolsOf(session);
  const queries = useQueryClient();
  const [school, setSchool] = useState(schools[0] ?? '');
  const [system, setSystem] = useState('magister');
  const [file, setFile] = useState<File | null>(null);
  const [missingFile, setMissingFile] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<IngestResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const start = async () => {
    if (!file) {
      setMissingFile(true);
      return;
    }
    setError(null);
    setResult(null);
    setProgress(0);
    try {
      const answer = await upload<IngestResult>(
        `/v1/ingest/${system}?school=${encodeURIComponent(school)}`,
        file,
        contentTypeOf(file),
        setProgress,
      );
      setResult(answer);
      void queries.invalidateQueries();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK_ERROR'));
    } finally {
      setProgress(null);
    }
  };
  return (
    <>
      <PageHeading title="Importeren">Importeren</PageHeading>
      <p className="utrecht-paragraph">
        Lever een exportbestand van uw administratiesysteem aan (JSON, XML of CSV, zoals het systeem het
        geeft). ketenpoort verwerkt het op dezelfde manier als een koppeling.
      </p>
      <form
        className="kp-form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <SchoolSelect schools={schools} value={school} onChange={setSchool} />
        <SelectField label="Administratiesysteem" value={system} onChange={setSystem} options={SYSTEMS} />
        <FormField type="text" invalid={missingFile}>
          <div className="utrecht-form-field__label">
            <FormLabel htmlFor="bestand">Exportbestand</FormLabel>
          </div>
          {missingFile && (
            <p className="utrecht-form-field-error-message" id="bestand-fout">
              Kies een bestand.
            </p>
          )}
          <div className="utrecht-form-field__input">
            <input
              id="bestand"
              type="file"
              className="kp-file"
              accept=".json,.xml,.csv,application/json,application/xml,text/csv"
              aria-describedby={missingFile ? 'bestand-fout' : undefined}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setMissingFile(false);
              }}
            />
          </div>
        </FormField>
        <Button type="submit" appearance="primary-action-button" busy={progress !== null}>
          Importeren
        </Button>
      </form>
      {progress !== null && (
        <div className="kp-progress" role="status">
          <label htmlFor="upload-voortgang">Bestand versturen: {Math.round(progress * 100)}%</label>
          <progress id="upload-voortgang" max={1} value={progress} />
        </div>
      )}
      <Problem error={error} />
      {result && (
        <Notice kind={result.quarantinedCount > 0 ? 'warning' : 'ok'}>
          <h2 className="utrecht-heading-3">Import verwerkt</h2>
          <ul className="utrecht-unordered-list">
            <li>{result.recordCount + result.quarantinedCount} registraties gelezen</li>
            <li>{result.changes.created} nieuw opgeslagen</li>
            <li>{result.changes.updated} gewijzigd</li>
            <li>{result.changes.unchanged} ongewijzigd</li>
            {result.changes.deleted > 0 && <li>{result.changes.deleted} verwijderd</li>}
            <li>
              {result.quarantinedCount} in quarantaine
              {result.quarantinedCount > 0 && (
                <>
                  {' '}
                  (
                  <Link className="utrecht-link" to="/quarantaine">
                    bekijk en koppel de codes
                  </Link>
                  )
                </>
              )}
            </li>
          </ul>
          <p className="utrecht-paragraph">
            <Link className="utrecht-link" to={`/meldingen?school=${school}`}>
              Naar de meldingen van school {school}
            </Link>
          </p>
        </Notice>
      )}
    </>
  );
}
