import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { safeXmlParser } from '#adapter-kit';
import type { DuoMessageOptions } from './format.js';

/**
 * Test helpers of the DUO connector specs: fields, options, the fixture keys, a namespace-keeping reader. (The
 * specs take payloads and contexts from #testing themselves: a connector's non-spec file may not import it.)
 */

/** The OINs of #testing's TEST_DUO_OIN and TEST_SCHOOL_OIN. */
export const DUO_OIN = '00000001800866472000';
export const SENDER_OIN = '00000001999999990000';
export const OPTIONS: DuoMessageOptions = { duoOin: DUO_OIN, senderOin: SENDER_OIN };

/** The connector's fixtures (throwaway test keys, golden files): next to src/, read from the source tree. */
export const FIXTURES = fileURLToPath(
  new URL('../../../../../libs/connectors/duo-rod/fixtures/', import.meta.url),
);
export const fixture = (name: string): string => readFileSync(`${FIXTURES}${name}`, 'utf8');
export const fixtureBytes = (name: string): Buffer => readFileSync(`${FIXTURES}${name}`);

/** A golden file's text; with UPDATE_GOLDEN=1 the actual text is written first (review the diff!). */
export function golden(name: string, actual: string): string {
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(`${FIXTURES}golden/${name}`, actual);
  return fixture(`golden/${name}`);
}

export const SENDER = { key: fixture('sender.key.pem'), certificate: fixture('sender.cert.pem') };

export const FULL: Record<string, unknown> = {
  'pupil.bsn': '123456782',
  'pupil.phone': '0612345678',
  'pupil.address': 'Dorpsstraat 12, 1811 JJ Alkmaar',
  'pupil.woongemeente': '0361',
  'parent.phone': '0201234567',
  'school.brin': '99XX',
  'school.vestiging': '01',
  'school.locationName': 'Hoofdgebouw',
  'education.name': 'Havo',
  'education.leerjaar': 3,
  'education.soort': 'VO',
  'education.vorm': 'VT',
  'absence.kind': 'LRV',
  'absence.beginDate': '2026-01-05',
  'absence.endDate': '2026-01-30',
  'absence.hours': 17.5,
  'absence.days': 2,
  'absence.perDay': [
    { date: '2026-01-05', lessonHours: [3, 1, 2] },
    { date: '2026-01-12', lessonHours: [], wholeDay: true },
  ],
  'absence.allLessonsMissed': true,
  'report.suspectedReason': 'Vermoedelijk spijbelen',
  'report.explanation': 'Derde melding dit jaar',
  'report.actionTaken': 'Gesprek met ouders',
  'report.municipalActionWanted': { wanted: false, explanation: 'Nog niet' },
  'report.copyRecipient': 'CONTACTPERSOON',
  'reporter.name': 'A. de Vries',
  'reporter.role': 'mentor',
  'reporter.phone': '0201112223',
  'reporter.email': 'mentor@school.example',
};

/** A namespace-preserving reading of our own output, for exact element assertions (whitespace dropped). */
const reader = safeXmlParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  decode: true,
  isArray: (name) => name === 'duo:verzuimdag' || name === 'duo:lesuur',
});

export type Tree = Record<string, unknown>;
export function read(xml: string): { header: Tree; body: Tree } {
  const doc = reader.parse(xml) as Tree;
  const envelope = doc['soapenv:Envelope'] as Tree;
  return { header: envelope['soapenv:Header'] as Tree, body: envelope['soapenv:Body'] as Tree };
}

/** The operation element of a body, without the body's wsu:Id. */
export const operationOf = (xml: string, operation: string): Tree =>
  read(xml).body[`duo:${operation}`] as Tree;
