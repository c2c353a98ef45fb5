import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { ACCESS_REPORT_ERRORS } from './access-report/access-report-error-codes.js';
import { BELL_SCHEDULE_ERRORS } from './bell-schedule/bell-schedule-error-codes.js';
import { BOARD_SETTINGS_ERRORS } from './board-settings/board-settings-error-codes.js';
import { BROWSE_AUDIT_LOG_ERRORS } from './browse-audit-log/browse-audit-log-error-codes.js';
import { DECIDE_DISCLOSURE_ERRORS } from './decide-disclosure/decide-disclosure-error-codes.js';
import { DISPATCH_ERRORS } from './dispatch/dispatch-error-codes.js';
import { GET_RECORD_BATCH_ERRORS } from './get-record-batch/get-record-batch-error-codes.js';
import { INGEST_PAYLOAD_ERRORS } from './ingest-payload/ingest-payload-error-codes.js';
import { LEERPLICHT_ROUTING_ERRORS } from './leerplicht-routing/leerplicht-routing-error-codes.js';
import { LEGAL_HOLD_ERRORS } from './legal-hold/legal-hold-error-codes.js';
import { NORMALISE_PAYLOAD_ERRORS } from './normalise-payload/normalise-payload-error-codes.js';
import { POLICY_VERSIONS_ERRORS } from './policy-versions/policy-versions-error-codes.js';
import { PREVIEW_REPORT_ERRORS } from './preview-report/preview-report-error-codes.js';
import { PRIVACY_ENGINE_ERRORS } from './privacy-engine/privacy-engine-error-codes.js';
import { PROCESSING_REGISTER_ERRORS } from './processing-register/processing-register-error-codes.js';
import { PULL_SOURCE_ERRORS } from './pull-source/pull-source-error-codes.js';
import { PUPIL_OVERVIEW_ERRORS } from './pupil-overview/pupil-overview-error-codes.js';
import { PUPIL_ROSTER_ERRORS } from './pupil-roster/pupil-roster-error-codes.js';
import { PUT_PUPIL_ERRORS } from './put-pupil/put-pupil-error-codes.js';
import { PUT_REASON_MAPPING_ERRORS } from './put-reason-mapping/put-reason-mapping-error-codes.js';
import { RELAY_OUTBOX_ERRORS } from './relay-outbox/relay-outbox-error-codes.js';
import { REPORT_CASES_ERRORS } from './report-cases/report-cases-error-codes.js';
import { REPORTS_ERRORS } from './reports/reports-error-codes.js';
import { RETENTION_OVERVIEW_ERRORS } from './retention-overview/retention-overview-error-codes.js';
import { SCHOOL_CALENDAR_ERRORS } from './school-calendar/school-calendar-error-codes.js';
import { SENDING_PARTIES_ERRORS } from './sending-parties/sending-parties-error-codes.js';
import { SHARED_ERRORS } from './shared/shared-error-codes.js';
import { SIGNAL_ANALYSIS_ERRORS } from './signal-analysis/signal-analysis-error-codes.js';
import { SIGNALS_ERRORS } from './signals/signals-error-codes.js';
import { SIMULATE_POLICY_ERRORS } from './simulate-policy/simulate-policy-error-codes.js';
import { SUBMIT_RECORD_BATCH_ERRORS } from './submit-record-batch/submit-record-batch-error-codes.js';

/** Every module's catalogue, by its folder (issue 17: error codes in a catalogue per module). */
const CATALOGUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'access-report': ACCESS_REPORT_ERRORS,
  'bell-schedule': BELL_SCHEDULE_ERRORS,
  'board-settings': BOARD_SETTINGS_ERRORS,
  'browse-audit-log': BROWSE_AUDIT_LOG_ERRORS,
  'decide-disclosure': DECIDE_DISCLOSURE_ERRORS,
  dispatch: DISPATCH_ERRORS,
  'get-record-batch': GET_RECORD_BATCH_ERRORS,
  'ingest-payload': INGEST_PAYLOAD_ERRORS,
  'leerplicht-routing': LEERPLICHT_ROUTING_ERRORS,
  'legal-hold': LEGAL_HOLD_ERRORS,
  'normalise-payload': NORMALISE_PAYLOAD_ERRORS,
  'policy-versions': POLICY_VERSIONS_ERRORS,
  'preview-report': PREVIEW_REPORT_ERRORS,
  'privacy-engine': PRIVACY_ENGINE_ERRORS,
  'processing-register': PROCESSING_REGISTER_ERRORS,
  'pull-source': PULL_SOURCE_ERRORS,
  'pupil-overview': PUPIL_OVERVIEW_ERRORS,
  'pupil-roster': PUPIL_ROSTER_ERRORS,
  'put-pupil': PUT_PUPIL_ERRORS,
  'put-reason-mapping': PUT_REASON_MAPPING_ERRORS,
  'relay-outbox': RELAY_OUTBOX_ERRORS,
  'report-cases': REPORT_CASES_ERRORS,
  reports: REPORTS_ERRORS,
  'retention-overview': RETENTION_OVERVIEW_ERRORS,
  'school-calendar': SCHOOL_CALENDAR_ERRORS,
  'sending-parties': SENDING_PARTIES_ERRORS,
  shared: SHARED_ERRORS,
  'signal-analysis': SIGNAL_ANALYSIS_ERRORS,
  signals: SIGNALS_ERRORS,
  'simulate-policy': SIMULATE_POLICY_ERRORS,
  'submit-record-batch': SUBMIT_RECORD_BATCH_ERRORS,
};

/** The sources (this spec runs from dist/, the .ts files stay in libs/application/src). */
const SRC = fileURLToPath(new URL('../../../../libs/application/src/', import.meta.url));

function sourcesOf(folder: string): { file: string; text: string }[] {
  return readdirSync(join(SRC, folder))
    .filter((f) => f.endsWith('.ts') && !f.includes('spec.ts') && !f.endsWith('-error-codes.ts'))
    .map((f) => ({ file: `${folder}/${f}`, text: readFileSync(join(SRC, folder, f), 'utf8') }));
}

const FOLDERS = readdirSync(SRC, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** A code written as a free string where a catalogue constant belongs. */
const FREE_CODE = [/new \w*Error\(\s*'[A-Z][A-Z0-9_]+'/, /\bcode: '[A-Z][A-Z0-9_]+'/];

describe('the error-code catalogues of #application', () => {
  it('name each code by itself: the public strings are the keys, never renamed', () => {
    for (const [folder, catalogue] of Object.entries(CATALOGUES)) {
      for (const [name, code] of Object.entries(catalogue)) {
        assert.equal(code, name, `${folder}: ${name}`);
        assert.match(code, /^[A-Z][A-Z0-9_]*$/, `${folder}: ${name}`);
      }
      const codes = Object.values(catalogue);
      assert.equal(new Set(codes).size, codes.length, `${folder}: two keys share a code`);
      assert.ok(codes.length > 0, `${folder}: an empty catalogue`);
    }
  });

  it('are in use: every code of a catalogue is referenced by the module or its neighbours', () => {
    const all = FOLDERS.flatMap(sourcesOf)
      .map((s) => s.text)
      .join('\n');
    for (const [folder, catalogue] of Object.entries(CATALOGUES)) {
      const constant = `${folder.toUpperCase().replaceAll('-', '_')}_ERRORS`;
      for (const name of Object.keys(catalogue)) {
        assert.ok(all.includes(`${constant}.${name}`), `${constant}.${name} is never used`);
      }
    }
  });

  it('leave no free code strings in the use cases: errors and issues take their code from a catalogue', () => {
    assert.ok(FOLDERS.length >= Object.keys(CATALOGUES).length);
    for (const folder of FOLDERS) {
      for (const { file, text } of sourcesOf(folder)) {
        for (const pattern of FREE_CODE) assert.doesNotMatch(text, pattern, file);
      }
    }
  });
});
