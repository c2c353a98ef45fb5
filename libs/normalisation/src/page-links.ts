// Teacher checks linked across pages that are stored as batches of their own (a pull run, page by page).
import type { CanonicalRecord, SourceRecord } from '#domain';
import { type Draft, Drafts } from './drafts.js';
import { best, isExplainingReport, isOpenTeacherCheck, linkingFields } from './teacher-checks.js';

/** A check or report as linking knows it across pages: one entry in `PageLinks`' slim drafts. */
interface Known {
  /** Where its slim copy is. */
  readonly index: number;
  /** Checks only: the record as last given out (on its own page, or re-linked on a later one). */
  record: CanonicalRecord;
}

/**
 * What normalising the pages of one run carries from page to page when each page is stored as a batch of its
 * own, so that a teacher check is explained by a report whichever page either comes on. Unlike `NormaliseCarry`
 * nothing is held back: each page's checks go out with the page, linked to the reports of this page and every
 * earlier one; and a check of an earlier page whose link the new page changes (its report came later, or a
 * report that covers it better) goes out again with that page, with its new `explainedBy` and otherwise the
 * same record. So once every page is stored, each check carries the link the whole run gives as one payload;
 * a run that stops half-way leaves the links of the pages read. Held: a few numbers per report and per check,
 * and the last record of each check (never the other records); nothing is read back from a store.
 */
export class PageLinks {
  /** Slim reports and checks of every page so far: only what linking reads of them. */
  private readonly seen = new Drafts();
  private readonly reportsByPupilDay = new Map<string, Map<number, number[]>>();
  private readonly reportsBySource = new Map<string, number[]>();
  private readonly checksByPupilDay = new Map<string, Map<number, number[]>>();
  private readonly checksByRef = new Map<string, number[]>();
  /** Every teacher check by recordId. */
  private readonly checks = new Map<string, Known>();

  /**
   * @internal Links the page's checks (`kept`: recordId → index in `drafts`) against every report so far, in
   * place; returns the checks of earlier pages whose link this page changed, as new records.
   */
  link(drafts: Drafts, kept: ReadonlyMap<string, number>): CanonicalRecord[] {
    const affected = new Set<string>();
    const onPage = new Map<string, number>();
    for (const [id, i] of kept) {
      const source = drafts.sources[i];
      const record = drafts.records[i];
      if (isOpenTeacherCheck(source, record)) {
        const slim = linkingFields(source);
        const index = this.remember(drafts, i, slim);
        this.checks.set(id, { index, record });
        push(nested(this.checksByPupilDay, slim.pupil.localId), drafts.days[i], index);
        if (slim.explainedByRef !== null) {
          push(this.checksByRef, key(slim.sourceSystem, slim.explainedByRef), index);
        }
        onPage.set(id, i);
        affected.add(id);
        continue;
      }
      // An id that was an open check on an earlier page and is something else now (the item changed during
      // the run): this page's record is the last word, never to be given out again in its old form.
      this.checks.delete(id);
      if (isExplainingReport(source, record)) {
        const slim = linkingFields(source);
        const index = this.remember(drafts, i, slim);
        const day = drafts.days[i];
        push(nested(this.reportsByPupilDay, slim.pupil.localId), day, index);
        const sourceKey = key(slim.sourceSystem, slim.sourceId);
        push(this.reportsBySource, sourceKey, index);
        // The checks this report may explain: of the same pupil and day, and those whose source names it.
        for (const c of this.checksByPupilDay.get(slim.pupil.localId)?.get(day) ?? []) {
          affected.add(this.seen.records[c].recordId);
        }
        for (const c of this.checksByRef.get(sourceKey) ?? []) affected.add(this.seen.records[c].recordId);
      }
    }
    const relinked: CanonicalRecord[] = [];
    for (const id of affected) {
      const known = this.checks.get(id);
      if (known === undefined) continue;
      const explainedBy = this.explanation(known.index);
      const i = onPage.get(id);
      if (i !== undefined) drafts.records[i].explainedBy = explainedBy;
      else if (explainedBy !== known.record.explainedBy && !kept.has(id)) {
        known.record = { ...known.record, explainedBy };
        relinked.push(known.record);
      }
    }
    return relinked;
  }

  /** The rules of `linkTeacherChecks` for one check, over every report so far. */
  private explanation(check: number): string | null {
    const source = this.seen.sources[check];
    const ref = source.explainedByRef;
    const linked =
      ref === null || ref === undefined ? undefined : this.reportsBySource.get(key(source.sourceSystem, ref));
    if (linked !== undefined) return best(this.seen, check, linked, true);
    const candidates = this.reportsByPupilDay.get(source.pupil.localId)?.get(this.seen.days[check]);
    return candidates === undefined ? null : best(this.seen, check, candidates, false);
  }

  /** Keeps what linking reads of draft `i`: its slim source, day, times, id, category and whole-day flag. */
  private remember(drafts: Drafts, i: number, slim: SourceRecord): number {
    const record = drafts.records[i];
    const slimRecord = {
      recordId: record.recordId,
      category: record.category,
      wholeDay: record.wholeDay,
    } as Draft;
    const index = this.seen.size;
    this.seen.add(slim, drafts.days[i], drafts.start(i), drafts.end(i), slimRecord);
    return index;
  }
}

const key = (system: string, id: string): string => `${system}\u0000${id}`;

function nested<K>(map: Map<string, Map<K, number[]>>, outer: string): Map<K, number[]> {
  let inner = map.get(outer);
  if (inner === undefined) {
    inner = new Map();
    map.set(outer, inner);
  }
  return inner;
}

function push<K>(map: Map<K, number[]>, key: K, index: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [index]);
  else list.push(index);
}
