// Normalising a payload batch by batch: what carries from one batch to the next so teacher checks find reports.
import type { QuarantinedInput } from '#domain';
import { type Draft, Drafts, type NormaliseOutput } from './drafts.js';
import { deduplicate } from './deduplicate.js';
import { output } from './record-order.js';
import {
  isExplainingReport,
  isOpenTeacherCheck,
  linkTeacherChecks,
  linkingFields,
} from './teacher-checks.js';

/**
 * What normalising a payload batch by batch (a streamed payload) carries from one batch to the next, so that
 * a teacher check is explained by a report whichever batch either comes in. Teacher checks that are
 * UNEXPLAINED are held back until `finishBatches`, which links them against the reports of every batch with
 * the same rules as a whole payload; the reports themselves go out with their batch, and only what linking
 * needs of them (pupil, day, times, id) is kept. Held: the checks, plus a few numbers per report.
 *
 * Exactly as a whole payload, except for the de-duplication of records other than held checks: an item that
 * comes in two batches gives its record twice (the same recordId and content, so a store keyed by recordId
 * keeps one), and two different items with the same id in different batches are not detected.
 */
export class NormaliseCarry {
  private readonly reports = new Drafts();
  private readonly checks = new Drafts();

  /** @internal Takes the batch's UNEXPLAINED teacher checks out of `kept` and remembers what its reports cover. */
  hold(drafts: Drafts, kept: Map<string, number>): void {
    for (const [id, i] of kept) {
      const source = drafts.sources[i];
      const record = drafts.records[i];
      const { days } = drafts;
      if (isOpenTeacherCheck(source, record)) {
        this.checks.add(source, days[i], drafts.start(i), drafts.end(i), record);
        kept.delete(id);
      } else if (isExplainingReport(source, record)) {
        // Only the fields linkTeacherChecks reads, so that a held report costs a few fields, not a record.
        const slim = linkingFields(source);
        const slimRecord = {
          recordId: record.recordId,
          category: record.category,
          wholeDay: record.wholeDay,
        } as Draft;
        this.reports.add(slim, days[i], drafts.start(i), drafts.end(i), slimRecord);
      }
    }
  }

  /** The held teacher checks, linked to the reports of every batch; sorted like `normalise`'s output. */
  finish(): NormaliseOutput {
    const quarantined: QuarantinedInput[] = [];
    const keptChecks = deduplicate(this.checks, quarantined);
    const all = new Drafts();
    const kept = new Map<string, number>();
    const { reports, checks } = this;
    for (let i = 0; i < reports.size; i++) {
      kept.set(`r${i}`, all.size);
      all.add(reports.sources[i], reports.days[i], reports.start(i), reports.end(i), reports.records[i]);
    }
    const out = new Map<string, number>();
    for (const [id, i] of keptChecks) {
      kept.set(`c${i}`, all.size);
      out.set(id, i);
      all.add(checks.sources[i], checks.days[i], checks.start(i), checks.end(i), checks.records[i]);
    }
    linkTeacherChecks(all, kept);
    return output(checks, out, quarantined);
  }
}

/** Ends normalising in batches: the teacher checks held back, now linked (see `NormaliseCarry`). */
export function finishBatches(carry: NormaliseCarry): NormaliseOutput {
  return carry.finish();
}
