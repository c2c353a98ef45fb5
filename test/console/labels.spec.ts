import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import {
  AUDIT_BREAK_REASONS,
  AUDIT_KINDS,
  CATEGORIES,
  CLOSING_EXPLANATIONS,
  CLOSING_REASONS,
  DELIVERY_OPERATIONS,
  DELIVERY_STATUSES,
  DESTINATIONS,
  DISCLOSURE_FIELD_PATHS,
  LEGAL_CLASSES,
  PURPOSES,
  QUARANTINE_REASONS,
  RECIPIENT_KINDS,
  REPORT_ACTIONS,
  REPORT_KINDS,
  REPORT_STATUSES,
  ROLES,
  SCHOOL_SECTORS,
  SIGNAL_RULES,
  SOURCE_SYSTEMS,
} from '#domain';
import {
  AUDIT_BREAK_REASON_LABELS,
  AUDIT_KIND_LABELS,
  CATEGORY_LABELS,
  CLOSING_EXPLANATION_LABELS,
  CLOSING_REASON_LABELS,
  type Catalogue,
  DELIVERY_OPERATION_LABELS,
  DELIVERY_PROBLEM_LABELS,
  DELIVERY_STATUS_LABELS,
  DESTINATION_LABELS,
  ERROR_LABELS,
  FIELD_LABELS,
  LEGAL_CLASS_LABELS,
  PURPOSE_LABELS,
  QUARANTINE_REASON_LABELS,
  RECIPIENT_KIND_LABELS,
  REPORT_ACTION_LABELS,
  REPORT_KIND_LABELS,
  REPORT_STATUS_LABELS,
  ROLE_LABELS,
  RULE_LABELS,
  SECTOR_LABELS,
  SOURCE_SYSTEM_LABELS,
  deliveryProblemText,
  errorText,
} from '../../apps/console/src/labels/labels.js';
import {
  deadlineText,
  formatDate,
  formatDateTime,
  formatHours,
  formatTime,
} from '../../apps/console/src/labels/format.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts') && !/(spec|test-support)\.ts$/.test(name)) out.push(path);
  }
  return out;
}

/** The product's code outside the console and the test helpers. */
const PRODUCT = ['apps/gateway/src', 'apps/worker/src', 'libs']
  .flatMap((d) => sources(join(ROOT, d)))
  // libs/testing throws only made-up test errors (test-support files, like the broker contract suite, are left out).
  .filter((p) => !p.includes('/libs/testing/'));

/**
 * Every code a coded error is created with (`new XxxError('CODE'`, or `new XxxError(MODULE_ERRORS.CODE` from a
 * module's error-code catalogue, whose keys are their codes), across the product's code.
 */
function thrownErrorCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of PRODUCT) {
    for (const m of readFileSync(file, 'utf8').matchAll(
      /new\s+\w*Error\(\s*(?:['"]|[A-Z][A-Z0-9_]*_ERRORS\.)([A-Z][A-Z0-9_]+)\b/g,
    )) {
      codes.add(m[1]);
    }
  }
  return codes;
}

/** The codes the HTTP problem filter answers on its own (body-parser and routing failures). */
function filterCodes(): Set<string> {
  const text = readFileSync(join(ROOT, 'apps/gateway/src/http/problem.filter.ts'), 'utf8');
  return new Set(
    [...text.matchAll(/'([A-Z][A-Z0-9_]{2,})'|HTTP_ERRORS\.([A-Z][A-Z0-9_]{2,})\b/g)].map(
      (m) => m[1] ?? m[2],
    ),
  );
}

/** Delivery failures a person sees in the chain tracker: the dispatcher's and the connectors' codes. */
function deliveryCodes(): Set<string> {
  const codes = new Set<string>();
  const files = PRODUCT.filter(
    (p) => /\/(dispatch|connectors)\//.test(p) || p.endsWith('plan-deliveries.ts'),
  );
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /code:\s*(?:'|[A-Z][A-Z0-9_]*_ERRORS\.)([A-Z][A-Z0-9_]+)'?,\s*\n?\s*reason:/g,
    ))
      codes.add(m[1]);
    if (!file.includes('/connectors/')) continue;
    for (const m of text.matchAll(/'((?:DUO|LEERPLICHT)_[A-Z0-9_]+)'/g)) codes.add(m[1]);
  }
  return codes;
}

function assertCovers(catalogue: Catalogue, codes: Iterable<string>, what: string): void {
  const missing = [...codes].filter((code) => !catalogue[code] || catalogue[code].trim() === '');
  expect({ what, withoutDutchLabel: missing }).toEqual({ what, withoutDutchLabel: [] });
}

describe('the console speaks Dutch: every code has a label', () => {
  it('labels every value of the domain enums', () => {
    assertCovers(ROLE_LABELS, ROLES, 'roles');
    assertCovers(REPORT_KIND_LABELS, REPORT_KINDS, 'report kinds');
    assertCovers(REPORT_STATUS_LABELS, REPORT_STATUSES, 'report statuses');
    assertCovers(REPORT_ACTION_LABELS, REPORT_ACTIONS, 'report actions');
    assertCovers(RULE_LABELS, SIGNAL_RULES, 'rules');
    assertCovers(CLOSING_REASON_LABELS, CLOSING_REASONS, 'closing reasons');
    assertCovers(CLOSING_EXPLANATION_LABELS, CLOSING_EXPLANATIONS, 'closing explanations');
    assertCovers(DESTINATION_LABELS, DESTINATIONS, 'destinations');
    assertCovers(RECIPIENT_KIND_LABELS, RECIPIENT_KINDS, 'recipients');
    assertCovers(DELIVERY_STATUS_LABELS, DELIVERY_STATUSES, 'delivery states');
    assertCovers(DELIVERY_OPERATION_LABELS, DELIVERY_OPERATIONS, 'delivery operations');
    assertCovers(CATEGORY_LABELS, CATEGORIES, 'categories');
    assertCovers(SOURCE_SYSTEM_LABELS, SOURCE_SYSTEMS, 'source systems');
    assertCovers(QUARANTINE_REASON_LABELS, QUARANTINE_REASONS, 'quarantine reasons');
    assertCovers(FIELD_LABELS, DISCLOSURE_FIELD_PATHS, 'report and feedback fields');
    assertCovers(PURPOSE_LABELS, PURPOSES, 'purposes');
    assertCovers(AUDIT_KIND_LABELS, AUDIT_KINDS, 'audit entry kinds');
    assertCovers(AUDIT_BREAK_REASON_LABELS, AUDIT_BREAK_REASONS, 'audit chain breaks');
    assertCovers(LEGAL_CLASS_LABELS, LEGAL_CLASSES, 'legal classes');
    assertCovers(SECTOR_LABELS, SCHOOL_SECTORS, 'school sectors');
  });

  it('has a Dutch sentence for every error code the gateway can answer', () => {
    const codes = new Set([...thrownErrorCodes(), ...filterCodes()]);
    assert.ok(codes.size > 80, `found only ${codes.size} codes: the scan is broken`);
    const missing = [...codes].filter((code) => !ERROR_LABELS[code] && !DELIVERY_PROBLEM_LABELS[code]);
    expect(missing).toEqual([]); // 'error codes without a Dutch sentence in apps/console/src/labels/labels.ts'
  });

  it('says what to do for every delivery failure of the dispatcher and the connectors', () => {
    const codes = deliveryCodes();
    assert.ok(
      codes.has('PRIVACY_DENIED') && [...codes].some((c) => c.startsWith('DUO_')),
      'the scan finds the known codes',
    );
    assertCovers(DELIVERY_PROBLEM_LABELS, codes, 'delivery failures');
    assert.match(deliveryProblemText('DUO_HTTP_503'), /storing/);
  });

  it('never shows a code: unknown codes read as a general sentence', () => {
    assert.doesNotMatch(errorText('SOMETHING_NEW'), /SOMETHING_NEW/);
    assert.doesNotMatch(deliveryProblemText('ODD_CODE'), /ODD_CODE/);
    for (const text of [...Object.values(ERROR_LABELS), ...Object.values(DELIVERY_PROBLEM_LABELS)]) {
      assert.doesNotMatch(text, /\b[A-Z]{2,}_[A-Z_]+\b/, text);
    }
  });
});

describe('dates and hours as the console writes them', () => {
  it('writes instants in Amsterdam time, summer and winter', () => {
    assert.equal(formatDateTime('2026-12-05T13:05:00Z'), '5 december 2026, 14:05');
    assert.equal(formatDateTime('2026-07-01T22:30:00Z'), '2 juli 2026, 00:30');
    // The night the clocks go back: 00:59 UTC is 02:59 summer time, 01:00 UTC is 02:00 winter time.
    assert.equal(formatDateTime('2026-10-25T00:59:00Z'), '25 oktober 2026, 02:59');
    assert.equal(formatDateTime('2026-10-25T01:00:00Z'), '25 oktober 2026, 02:00');
    assert.equal(formatDateTime('not a date'), '—');
    // A registration's start as the record holds it (an instant with its offset), and a bare clock time.
    assert.equal(formatTime('2026-07-16T11:20:00+02:00'), '11:20');
    assert.equal(formatTime('2026-12-16T08:30:00Z'), '09:30');
    assert.equal(formatTime('08:30'), '08:30');
    assert.equal(formatTime(null), '—');
  });

  it('writes school dates and hours in lesuren with clock time', () => {
    assert.equal(formatDate('2026-02-29'), '—', 'no such day');
    assert.equal(formatDate('2028-02-29'), '29 februari 2028');
    assert.equal(formatHours(16, 800), '16 lesuren (13 uur 20 min)');
    assert.equal(formatHours(1, 45), '1 lesuur (45 min)');
    assert.equal(formatHours(3, 120), '3 lesuren (2 uur)');
  });

  it('says how the deadline stands, inclusive of today', () => {
    assert.equal(deadlineText('2026-12-05', '2026-12-05'), 'vandaag');
    assert.equal(deadlineText('2026-12-06', '2026-12-05'), 'nog 1 dag');
    assert.equal(deadlineText('2026-12-01', '2026-12-05'), 'te laat (4 dagen)');
    assert.equal(deadlineText(null, '2026-12-05'), 'geen termijn');
  });
});
