import {
  type Actor,
  type Clock,
  type DueState,
  NotFoundError,
  type PupilFinder,
  type ReportCaseStore,
  type Report,
  type ReportKind,
  type ReportStatus,
  type PupilStamp,
  ValidationError,
  type WorklistStamp,
  caseReportOf,
  dueStateOf,
  groupReportsIntoCases,
  readsRoster,
  requireBoardScope,
} from '#domain';
import { DEFAULT_PAGE_SIZE, type ReportCaseView, uniq, viewOf, plain } from './report-case-view.js';
import { schoolToday } from '../shared/school-day.js';
import { REPORT_CASES_ERRORS } from './report-cases-error-codes.js';

/** The werkvoorraad's filters as they arrive (shapes checked at the edge; meaning checked here). */
export interface WorklistQuery {
  readonly school?: string;
  readonly rule?: string;
  readonly kind?: ReportKind;
  /** The report status a case must hold to be listed; default `DRAFT` (pending, needs a person). */
  readonly status?: ReportStatus;
  readonly group?: string;
  readonly mentor?: string;
  /** Pupil number (part of it); names once a pupil finder knows them. */
  readonly q?: string;
  readonly page?: number;
  readonly pageSize?: number;
}

export const WORKLIST_MAX_PAGE_SIZE = 100;

export interface WorklistRow extends ReportCaseView {
  /** The pupil with name and class for the staff of the pupil's school, when the roster knows them. */
  readonly pupil: {
    readonly localId: string;
    readonly displayName?: string | null;
    readonly group?: string | null;
  };
  /** The case's reports in the listed status (DRAFT: pending), earliest deadline first. */
  readonly pending: readonly Report[];
  /** The earliest statutory deadline of those reports, or null when none has one. */
  readonly deadline: string | null;
  readonly dueState: DueState | null;
}

export interface Worklist {
  readonly items: readonly WorklistRow[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/** How many scopes' grouped cases one gateway keeps (each a few MB for a board of 30,000 pupils). */
const GROUPED_SCOPES = 16;

/** Above this many pupils changed since the last grouping, the whole scope is grouped again. */
const REGROUP_PUPILS_MAX = 2_000;

type CaseReport = ReturnType<typeof caseReportOf>;

type CaseGroup = ReturnType<typeof groupReportsIntoCases<CaseReport>>[number];

const pupilKey = (school: string, localId: string): string => `${school}\u0000${localId}`;

function sameStamp(a: WorklistStamp, b: WorklistStamp): boolean {
  return (
    a.reports.count === b.reports.count &&
    a.reports.hash === b.reports.hash &&
    a.cases.count === b.cases.count &&
    a.cases.hash === b.cases.hash
  );
}

/** Whether the pupils' stamp parts add up to the scope's stamp: then they describe exactly the same rows. */
function addsUpTo(pupils: ReadonlyMap<string, PupilStamp>, stamp: WorklistStamp): boolean {
  let reports = 0;
  let cases = 0;
  let reportHash = 0n;
  let caseHash = 0n;
  for (const p of pupils.values()) {
    reports += p.reports.count;
    cases += p.cases.count;
    reportHash += BigInt(p.reports.hash);
    caseHash += BigInt(p.cases.hash);
  }
  return (
    reports === stamp.reports.count &&
    cases === stamp.cases.count &&
    reportHash === BigInt(stamp.reports.hash) &&
    caseHash === BigInt(stamp.cases.hash)
  );
}

/** A scope's cases as last grouped, per pupil, with the stamp they were grouped at (and its parts per pupil). */
interface GroupedScope {
  readonly stamp: WorklistStamp | null;
  readonly pupils: ReadonlyMap<string, PupilStamp> | null;
  readonly byPupil: ReadonlyMap<string, readonly CaseGroup[]>;
  /** Its werkvoorraad rows in deadline order (every case holding a report in the status), made at first use. */
  rows?: readonly WorklistRow[];
}

/** Rows by deadline (none last), then school, pupil and case id: plain comparisons, every key is ASCII. */
function sortRows(rows: WorklistRow[]): WorklistRow[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort(
    (a, b) =>
      cmp(a.deadline ?? '9999-12-31', b.deadline ?? '9999-12-31') ||
      cmp(a.school, b.school) ||
      cmp(a.pupil.localId, b.pupil.localId) ||
      cmp(a.id, b.id),
  );
}

/** The rows of these cases: each holding reports in `status`, those reports earliest deadline first (unsorted). */
function rowsOfGroups(groups: Iterable<CaseGroup>, status: ReportStatus, today: string): WorklistRow[] {
  const rows: WorklistRow[] = [];
  for (const c of groups) {
    const pending = c.reports
      .filter((r) => r.status === status)
      .sort((a, b) => {
        const x = a.deadline ?? '9999';
        const y = b.deadline ?? '9999';
        return x < y ? -1 : x > y ? 1 : 0;
      });
    if (pending.length === 0) continue;
    const deadline = pending.find((r) => r.deadline !== null)?.deadline ?? null;
    rows.push({
      ...viewOf(c, today),
      pending,
      deadline,
      dueState: deadline === null ? null : dueStateOf(deadline, today),
    });
  }
  return rows;
}

/** The rows of a grouped scope in deadline order, made at first use and kept with it. */
function rowsOf(scope: GroupedScope, status: ReportStatus, today: string): readonly WorklistRow[] {
  scope.rows ??= sortRows(
    rowsOfGroups(
      (function* () {
        for (const list of scope.byPupil.values()) yield* list;
      })(),
      status,
      today,
    ),
  );
  return scope.rows;
}

function byPupilOf(groups: readonly CaseGroup[]): Map<string, CaseGroup[]> {
  const map = new Map<string, CaseGroup[]>();
  for (const g of groups) {
    const k = pupilKey(g.school, g.pupil.localId);
    const list = map.get(k);
    if (list) list.push(g);
    else map.set(k, [g]);
  }
  return map;
}

/**
 * The school staff's werkvoorraad (ADR 0018): one row per case holding reports in the listed status, across the
 * schools in the actor's scope, ordered by statutory deadline, filtered and paged on the server.
 */
export class WorklistUseCase {
  constructor(
    private readonly cases: Pick<
      ReportCaseStore,
      | 'reportsOfPupilsWith'
      | 'reportKeysOfPupilsWith'
      | 'reportKeysOfPupils'
      | 'reportsByIds'
      | 'endings'
      | 'worklistStamp'
      | 'worklistPupilStamps'
      | 'worklistChangedPupils'
    >,
    private readonly clock: Clock,
    private readonly finder: PupilFinder | null = null,
  ) {}

  /**
   * The scope's cases as last grouped, per board, schools, status and day: a person paging, filtering and
   * searching the werkvoorraad asks for the same scope again and again, and grouping every report of it is most of
   * a page's time (ADR 0018). The stamp is asked on every request, so any change to a report or an end date — from
   * this instance or another — is seen at the next request; then only the pupils changed since are grouped again,
   * and the result is kept only when the pupils' stamp parts add up to the scope's stamp (else all is regrouped).
   */
  private readonly grouped = new Map<string, GroupedScope>();

  /** Counts of how the last requests were answered (kept, regrouped in part, regrouped whole): for the specs. */
  readonly groupings = { kept: 0, partial: 0, whole: 0 };

  private async groupsOf(
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
  ): Promise<{ grouped: GroupedScope; light: boolean }> {
    // Grouped light (the period only) when the store can; the page's reports are then read whole.
    const light = this.cases.reportKeysOfPupilsWith !== undefined && this.cases.reportsByIds !== undefined;
    const cacheKey = JSON.stringify([board, schools, status, today]);
    const stamp = this.cases.worklistStamp ? await this.cases.worklistStamp(board, schools) : null;
    const cached = this.grouped.get(cacheKey);
    let scope: GroupedScope | null = null;
    if (stamp !== null && cached?.stamp && sameStamp(cached.stamp, stamp)) {
      this.groupings.kept++;
      scope = cached;
    } else if (stamp !== null && cached?.stamp && cached.pupils) {
      scope = await this.regroupChanged(board, schools, status, today, cached, stamp);
      if (scope !== null) this.groupings.partial++;
    }
    if (scope === null) {
      this.groupings.whole++;
      scope = await this.groupWhole(board, schools, status, today, stamp, light);
    }
    if (stamp !== null) {
      this.grouped.delete(cacheKey);
      if (this.grouped.size >= GROUPED_SCOPES) {
        const oldest = this.grouped.keys().next().value;
        if (oldest !== undefined) this.grouped.delete(oldest);
      }
      this.grouped.set(cacheKey, scope);
    }
    return { grouped: scope, light };
  }

  private async groupWhole(
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
    stamp: WorklistStamp | null,
    light: boolean,
  ): Promise<GroupedScope> {
    const reports = light
      ? await this.cases.reportKeysOfPupilsWith!(board, schools, status, today)
      : await this.cases.reportsOfPupilsWith(board, schools, status, today);
    const pupils = uniq(reports.map((r) => pupilKey(r.school, r.pupil.localId))).map((k) => {
      const [school, localId] = k.split('\u0000') as [string, string];
      return { school, localId };
    });
    const endings = await this.cases.endings(board, pupils);
    const groups = groupReportsIntoCases(reports.map(caseReportOf), endings);
    // The stamp's parts per pupil, read after the reports: a change in between makes them newer than the groups,
    // and the next request regroups that pupil (it changed after the stamp was read).
    const parts =
      stamp !== null && this.cases.worklistPupilStamps && this.cases.worklistChangedPupils && light
        ? await this.cases.worklistPupilStamps(board, schools, null)
        : null;
    return {
      stamp,
      pupils: parts === null ? null : new Map(parts.map((p) => [pupilKey(p.school, p.localId), p])),
      byPupil: byPupilOf(groups),
    };
  }

  /** Regroups only the pupils changed since `cached` was grouped; null when that cannot be shown exact. */
  private async regroupChanged(
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
    cached: GroupedScope,
    stamp: WorklistStamp,
  ): Promise<GroupedScope | null> {
    const since = cached.stamp!;
    const changed = await this.cases.worklistChangedPupils!(
      board,
      schools,
      { reports: since.reportsChangedAt, cases: since.casesChangedAt },
      REGROUP_PUPILS_MAX + 1,
    );
    if (changed.length > REGROUP_PUPILS_MAX) return null;
    const fresh = await this.cases.worklistPupilStamps!(board, schools, changed);
    const pupils = new Map(cached.pupils);
    for (const p of changed) pupils.delete(pupilKey(p.school, p.localId));
    for (const p of fresh) pupils.set(pupilKey(p.school, p.localId), p);
    // A change not found by its time (a deletion, a clock far behind) shows here: the parts do not add up.
    if (!addsUpTo(pupils, stamp)) return null;
    const [reports, endings] = await Promise.all([
      this.cases.reportKeysOfPupils!(board, changed, status, today),
      this.cases.endings(board, changed),
    ]);
    const byPupil = new Map(cached.byPupil);
    for (const p of changed) byPupil.delete(pupilKey(p.school, p.localId));
    const regrouped = groupReportsIntoCases(reports.map(caseReportOf), endings);
    for (const [k, list] of byPupilOf(regrouped)) byPupil.set(k, list);
    const scope: GroupedScope = { stamp, pupils, byPupil };
    // The kept rows of the other pupils stay; the changed pupils' rows are made again and sorted in.
    if (cached.rows) {
      const gone = new Set(changed.map((p) => pupilKey(p.school, p.localId)));
      scope.rows = sortRows([
        ...cached.rows.filter((row) => !gone.has(pupilKey(row.school, row.pupil.localId))),
        ...rowsOfGroups(regrouped, status, today),
      ]);
    }
    return scope;
  }

  async execute(actor: Actor, query: WorklistQuery): Promise<Worklist> {
    const scope = requireBoardScope(actor, 'read');
    if (query.school !== undefined && scope.schools !== null && !scope.schools.includes(query.school)) {
      throw new NotFoundError(REPORT_CASES_ERRORS.SCHOOL_NOT_FOUND, 'This school is not in your scope');
    }
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const page = query.page ?? 1;
    if (pageSize < 1 || pageSize > WORKLIST_MAX_PAGE_SIZE || page < 1) {
      throw new ValidationError(REPORT_CASES_ERRORS.FILTER_INVALID, 'page is 1 or more, pageSize 1..100', [
        {
          field: 'pageSize',
          code: REPORT_CASES_ERRORS.OUT_OF_RANGE,
          message: `1..${WORKLIST_MAX_PAGE_SIZE}`,
        },
      ]);
    }
    const status = query.status ?? 'DRAFT';
    const schools = query.school !== undefined ? [query.school] : scope.schools;
    const today = schoolToday(this.clock.now());
    const { grouped, light } = await this.groupsOf(scope.board, schools, status, today);

    // Names, classes and mentors are roster data: only the staff of the pupil's school search by them (ADR 0019).
    const finder = readsRoster(actor) ? this.finder : null;
    let allowed: Set<string> | null = null;
    if (query.group !== undefined || query.mentor !== undefined) {
      const found = finder
        ? await finder.find(scope.board, schools, {
            ...(query.group !== undefined ? { group: query.group } : {}),
            ...(query.mentor !== undefined ? { mentor: query.mentor } : {}),
          })
        : [];
      allowed = new Set(found.map((p) => pupilKey(p.school, p.localId)));
    }
    let named: Set<string> | null = null;
    const q = query.q?.trim().toLowerCase();
    if (q && finder) {
      named = new Set(
        (await finder.find(scope.board, schools, { q })).map((p) => pupilKey(p.school, p.localId)),
      );
    }

    // The scope's rows in deadline order, made once per grouping; a rule or kind filter narrows each row's reports.
    let rows: readonly WorklistRow[] = rowsOf(grouped, status, today);
    if (query.rule !== undefined || query.kind !== undefined) {
      rows = sortRows(
        rows.flatMap((row) => {
          const pending = row.pending.filter(
            (r) =>
              (query.rule === undefined || r.rule === query.rule) &&
              (query.kind === undefined || r.kind === query.kind),
          );
          if (pending.length === 0) return [];
          const deadline = pending.find((r) => r.deadline !== null)?.deadline ?? null;
          return [
            { ...row, pending, deadline, dueState: deadline === null ? null : dueStateOf(deadline, today) },
          ];
        }),
      );
    }
    if (allowed !== null || q) {
      rows = rows.filter((row) => {
        const k = pupilKey(row.school, row.pupil.localId);
        if (allowed !== null && !allowed.has(k)) return false;
        return !q || row.pupil.localId.toLowerCase().includes(q) || (named?.has(k) ?? false);
      });
    }
    const start = (page - 1) * pageSize;
    let items = rows
      .slice(start, start + pageSize)
      .map((row) => ({ ...row, pending: row.pending.map(plain) }));
    if (light) {
      const whole = new Map(
        (
          await this.cases.reportsByIds!(
            scope.board,
            items.flatMap((row) => row.pending.map((r) => r.id)),
            today,
          )
        ).map((r) => [r.id, r]),
      );
      items = items.map((row) => ({ ...row, pending: row.pending.map((r) => whole.get(r.id) ?? r) }));
    }
    if (finder?.rosterOf && items.length > 0) {
      const names = new Map(
        (
          await finder.rosterOf(
            scope.board,
            items.map((row) => ({ school: row.school, localId: row.pupil.localId })),
          )
        ).map((p) => [pupilKey(p.school, p.localId), p]),
      );
      items = items.map((row) => {
        const found = names.get(pupilKey(row.school, row.pupil.localId));
        return found
          ? {
              ...row,
              pupil: { localId: row.pupil.localId, displayName: found.displayName, group: found.group },
            }
          : row;
      });
    }
    return { items, total: rows.length, page, pageSize };
  }
}
