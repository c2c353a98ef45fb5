// Teacher checks explained by reports: a teacher's ABSENT gets `explainedBy`, the report that covers it best.
import type { SourceRecord } from '#domain';
import type { Draft, Drafts } from './drafts.js';

/** A teacher's "absent" that no report explains yet: the records linking gives an `explainedBy`. */
export function isOpenTeacherCheck(source: SourceRecord, record: Pick<Draft, 'category'>): boolean {
  return source.via === 'TEACHER_CHECK' && record.category === 'UNEXPLAINED';
}

/** A report or call-back that can explain a teacher check: any category but PRESENT and UNEXPLAINED. */
export function isExplainingReport(source: SourceRecord, record: Pick<Draft, 'category'>): boolean {
  return (
    (source.via === 'REPORT' || source.via === 'CALL_BACK') &&
    record.category !== 'PRESENT' &&
    record.category !== 'UNEXPLAINED'
  );
}

/**
 * Only the fields of a source that linking reads (its `via`, system and id, a check's `explainedByRef`, the
 * pupil): what is kept of a report or check from batch to batch or page to page costs a few fields, not a record.
 */
export function linkingFields(source: SourceRecord): SourceRecord {
  return {
    via: source.via,
    sourceSystem: source.sourceSystem,
    sourceId: source.sourceId,
    explainedByRef: source.explainedByRef ?? null,
    pupil: { localId: source.pupil.localId },
  } as SourceRecord;
}

/**
 * A teacher's "absent" (UNEXPLAINED) that a report (or call-back) of the same pupil explains gets `explainedBy`: the report
 * the source links it to (`explainedByRef`), else the report that overlaps its lesson most (ties: the smaller
 * recordId; a whole-day report without times covers every check of its day). The check keeps its category
 * and minutes: consumers skip records with `explainedBy` when summing absence, so the time counts once.
 */
export function linkTeacherChecks(drafts: Drafts, kept: { values(): Iterable<number> }): void {
  const { records, sources } = drafts;
  const checks: number[] = [];
  for (const i of kept.values()) {
    if (isOpenTeacherCheck(sources[i], records[i])) checks.push(i);
  }
  if (checks.length === 0) return;
  // Index only the reports of pupils that have such a check: by pupil and day, and by the source's own id.
  const pupils = new Set<string>();
  const refs = new Set<string>();
  for (const c of checks) {
    pupils.add(sources[c].pupil.localId);
    const ref = sources[c].explainedByRef;
    if (ref !== null && ref !== undefined) refs.add(ref);
  }
  const byPupilDay = new Map<string, Map<number, number[]>>();
  const bySource = new Map<string, number[]>();
  for (const i of kept.values()) {
    const r = sources[i];
    if (!isExplainingReport(r, records[i])) continue;
    if (refs.has(r.sourceId)) push(bySource, `${r.sourceSystem}\u0000${r.sourceId}`, i);
    if (!pupils.has(r.pupil.localId)) continue;
    let days = byPupilDay.get(r.pupil.localId);
    if (days === undefined) {
      days = new Map();
      byPupilDay.set(r.pupil.localId, days);
    }
    push(days, drafts.days[i], i);
  }
  for (const c of checks) {
    const check = sources[c];
    const ref = check.explainedByRef;
    const linked =
      ref === null || ref === undefined ? undefined : bySource.get(`${check.sourceSystem}\u0000${ref}`);
    if (linked !== undefined) {
      // The source says which report; of its records, the one that best covers the check.
      records[c].explainedBy = best(drafts, c, linked, true);
      continue;
    }
    const candidates = byPupilDay.get(check.pupil.localId)?.get(drafts.days[c]);
    if (candidates !== undefined) records[c].explainedBy = best(drafts, c, candidates, false);
  }
}

function push<K>(map: Map<K, number[]>, key: K, index: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [index]);
  else list.push(index);
}

/** How well a report covers a check: overlap in ms (a timeless whole-day report on its day covers it fully). */
export function cover(drafts: Drafts, check: number, report: number): number {
  const { days } = drafts;
  const cs = drafts.start(check);
  const ce = drafts.end(check);
  const rs = drafts.start(report);
  const re = drafts.end(report);
  if (rs === null || re === null) {
    if (days[report] !== days[check] || !drafts.records[report].wholeDay) return 0;
    return cs !== null && ce !== null ? Math.max(1, ce - cs) : 1;
  }
  if (cs === null || ce === null) return 0;
  if (ce === cs) return cs >= rs && cs < re ? 1 : 0;
  return Math.max(0, Math.min(ce, re) - Math.max(cs, rs));
}

/**
 * The report record that best explains a check: most overlap, then the same day, then the smaller recordId (so
 * the choice does not depend on input order). Unlinked reports must overlap; a report the source links to is
 * taken even when its times do not meet the check's.
 */
export function best(
  drafts: Drafts,
  check: number,
  reports: readonly number[],
  linkedBySource: boolean,
): string | null {
  let chosen: string | null = null;
  let chosenScore = -1;
  for (const report of reports) {
    const overlap = cover(drafts, check, report);
    if (overlap === 0 && !linkedBySource) continue;
    const score = overlap * 2 + (drafts.days[report] === drafts.days[check] ? 1 : 0);
    const id = drafts.records[report].recordId;
    if (score > chosenScore || (score === chosenScore && chosen !== null && id < chosen)) {
      chosen = id;
      chosenScore = score;
    }
  }
  return chosen;
}
