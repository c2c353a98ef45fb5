import { createHash } from 'node:crypto';
import type { CanonicalRecord, Signal, SignalEvaluator } from '#domain';

/** The stand-in's threshold: 16 clock hours of unauthorised absence. */
export const STAND_IN_THRESHOLD_MINUTES = 960;

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function ageAt(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = date.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * NOT the rules engine: a deliberately simple stand-in for tests of the stateful side. It raises one
 * LPW_16H_4W-shaped signal when a pupil's unauthorised minutes up to `asOf` (no window, no calendar, no unit per
 * sector) reach 960. Evidence: the unauthorised records up to the day the total reached 960; the signal id is a
 * hash of the pupil and the evidence ids, so the same evidence gives the same id. Under 18 at the end date:
 * 16U_MINDERJARIG, mandatory; else 16U_MEERDERJARIG, not mandatory. Deadline: end date + 7 calendar days.
 */
export const unauthorisedMinutesStandInEvaluator: SignalEvaluator = {
  evaluatePupil({ pupil, records, asOf }) {
    const counted = [...records]
      .filter((r: CanonicalRecord) => r.legalClass === 'unauthorised' && r.date <= asOf)
      .sort((a, b) => (a.date === b.date ? (a.recordId < b.recordId ? -1 : 1) : a.date < b.date ? -1 : 1));
    let minutes = 0;
    const evidence: CanonicalRecord[] = [];
    for (const record of counted) {
      minutes += record.missedMinutes ?? 0;
      evidence.push(record);
      if (minutes >= STAND_IN_THRESHOLD_MINUTES) break;
    }
    if (minutes < STAND_IN_THRESHOLD_MINUTES) return [];
    const endDate = evidence[evidence.length - 1].date;
    const adult = ageAt(pupil.birthDate, endDate) >= 18;
    const ids = evidence.map((r) => r.recordId);
    const signal: Signal = {
      signalId: `sig_${createHash('sha256')
        .update(JSON.stringify([pupil.localId, ids]))
        .digest('hex')
        .slice(0, 24)}`,
      rule: 'LPW_16H_4W',
      reportKind: adult ? '16U_MEERDERJARIG' : '16U_MINDERJARIG',
      mandatory: !adult,
      pupil: { localId: pupil.localId },
      beginDate: evidence[0].date,
      endDate,
      measured: {
        unauthorisedMinutes: minutes,
        unauthorisedLessons: evidence.length,
        unit: 'CLOCK_HOUR',
        hours: Math.round((minutes / 60) * 100) / 100,
      },
      threshold: 16,
      deadline: addDays(endDate, 7),
      evidence: ids,
      rulepack: { id: 'stand-in', version: '0' },
      legalBasis: 'Leerplichtwet 1969 art. 21a',
    };
    return [signal];
  },
};
