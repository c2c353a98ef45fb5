import type { DataSource } from 'typeorm';
import {
  type CaseEnding,
  type CasePupil,
  DAILY_CHECK_RULES,
  type DailyCheckLesson,
  type Page,
  type PupilStamp,
  type ReportCaseStore,
  type Report,
  type ReportStatus,
  type StampPart,
  type WorklistStamp,
} from '#domain';
import { REPORT_COLUMNS, type ReportRow, toReport } from './report.repository.js';

/** At most this many reports feed one werkvoorraad request (a board's pending work, with its pupils' history). */
const MAX_WORKLIST_REPORTS = 20_000;

/** Reports grouped into cases by the domain; this store reads them per pupil and keeps case end dates. */
export class TypeOrmReportCaseStore implements ReportCaseStore {
  constructor(private readonly dataSource: DataSource) {}

  reportsOfPupilsWith(
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
  ): Promise<Report[]> {
    return this.ofPupilsWith(REPORT_COLUMNS('$3'), board, schools, status, today);
  }

  reportKeysOfPupilsWith(
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
  ): Promise<Report[]> {
    return this.lightReports(board, schools, null, status, today);
  }

  reportKeysOfPupils(
    board: string,
    pupils: readonly CasePupil[],
    status: ReportStatus,
    today: string,
  ): Promise<Report[]> {
    if (pupils.length === 0) return Promise.resolve([]);
    return this.lightReports(board, null, pupils, status, today);
  }

  private async lightReports(
    board: string,
    schools: readonly string[] | null,
    pupils: readonly CasePupil[] | null,
    status: ReportStatus,
    today: string,
  ): Promise<Report[]> {
    // What grouping, filtering and ordering need, as one JSON text of row arrays: a report's jsonb is most of its
    // bytes, and the driver's per-row, per-column parsing of thousands of rows was most of a page's time. The rest
    // of the shape is filled in empty, and the period is set as grouping reads it (caseReportOf).
    const [query, params] = this.ofPupilsWithQuery(
      `id, kind, status, action, supersedes, school, pupil_local_id, rule, deadline,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
       fields->>'absence.beginDate' AS begin_date, fields->>'absence.endDate' AS end_date`,
      board,
      schools,
      status,
      today,
      pupils,
    );
    const [packed] = await this.dataSource.query<{ rows: string }[]>(
      `SELECT coalesce(json_agg(json_build_array(id, kind, status, action, supersedes, school, pupil_local_id,
         rule, deadline, created_at, begin_date, end_date)), '[]')::text AS rows FROM (${query}) light`,
      params,
    );
    const rows = JSON.parse(packed?.rows ?? '[]') as LightRow[];
    return rows.map(
      ([id, kind, status, action, supersedes, school, pupil, rule, deadline, createdAt, begin, end]) => {
        const fields: Record<string, string> = {};
        if (begin !== null) fields['absence.beginDate'] = begin;
        if (end !== null) fields['absence.endDate'] = end;
        const beginDate = begin ?? createdAt.slice(0, 10);
        return {
          id,
          kind,
          status,
          fields,
          action,
          supersedes,
          board,
          school,
          pupil: { localId: pupil },
          signalId: '',
          rule,
          mandatory: false,
          deadline,
          overdue: status === 'DRAFT' && deadline !== null && deadline < today,
          decidedBy: null,
          decidedAt: null,
          dismissReason: null,
          createdAt,
          updatedAt: createdAt,
          // As caseReportOf reads them, so grouping need not copy each report again.
          beginDate,
          endDate: end !== null && end >= beginDate ? end : beginDate,
        } as Report;
      },
    );
  }

  async worklistStamp(board: string, schools: readonly string[] | null): Promise<WorklistStamp> {
    const inSchools = schools === null ? '' : ' AND school = ANY($2::text[])';
    const [row] = await this.dataSource.query<{ reports: StampRow; cases: StampRow }[]>(
      `SELECT (SELECT json_build_array(count(*), coalesce(sum(${REPORT_HASH}), 0)::text, max(updated_at)::text)
                 FROM report WHERE board = $1${inSchools}) AS reports,
              (SELECT json_build_array(count(*), coalesce(sum(${CASE_HASH}), 0)::text, max(ended_at)::text)
                 FROM report_case WHERE board = $1${inSchools}) AS cases`,
      schools === null ? [board] : [board, [...schools]],
    );
    const part = (r: StampRow | undefined): StampPart => ({
      count: Number(r?.[0] ?? 0),
      hash: r?.[1] ?? '0',
    });
    return {
      reports: part(row?.reports),
      cases: part(row?.cases),
      reportsChangedAt: row?.reports?.[2] ?? null,
      casesChangedAt: row?.cases?.[2] ?? null,
    };
  }

  async worklistPupilStamps(
    board: string,
    schools: readonly string[] | null,
    pupils: readonly CasePupil[] | null,
  ): Promise<PupilStamp[]> {
    if (pupils !== null && pupils.length === 0) return [];
    const params: unknown[] = [board];
    let where = 'board = $1';
    if (schools !== null) {
      params.push([...schools]);
      where += ` AND school = ANY($${params.length}::text[])`;
    }
    if (pupils !== null) {
      params.push(pupilsParam(pupils));
      where += ` AND (school, pupil_local_id) IN (${pupilsIn(params.length)})`;
    }
    const rows: {
      school: string;
      pupil_local_id: string;
      rn: string;
      rh: string;
      cn: string;
      ch: string;
    }[] = await this.dataSource.query(
      `WITH r AS (SELECT school, pupil_local_id, count(*) AS n, sum(${REPORT_HASH}) AS h
                  FROM report WHERE ${where} GROUP BY school, pupil_local_id),
            c AS (SELECT school, pupil_local_id, count(*) AS n, sum(${CASE_HASH}) AS h
                  FROM report_case WHERE ${where} GROUP BY school, pupil_local_id)
       SELECT school, pupil_local_id, coalesce(r.n, 0)::text AS rn, coalesce(r.h, 0)::text AS rh,
              coalesce(c.n, 0)::text AS cn, coalesce(c.h, 0)::text AS ch
       FROM r FULL JOIN c USING (school, pupil_local_id)`,
      params,
    );
    return rows.map((r) => ({
      school: r.school,
      localId: r.pupil_local_id,
      reports: { count: Number(r.rn), hash: r.rh },
      cases: { count: Number(r.cn), hash: r.ch },
    }));
  }

  async worklistChangedPupils(
    board: string,
    schools: readonly string[] | null,
    since: { readonly reports: string | null; readonly cases: string | null },
    limit: number,
  ): Promise<CasePupil[]> {
    const inSchools = schools === null ? '' : ' AND school = ANY($5::text[])';
    // A second back: a change written with an earlier instant than one already seen (an instance's clock a little
    // behind, a transaction that committed late) is still found; anything later shows in the stamp's sums.
    const rows: { school: string; pupil_local_id: string }[] = await this.dataSource.query(
      `SELECT school, pupil_local_id FROM report
         WHERE board = $1${inSchools} AND ($2::timestamptz IS NULL OR updated_at >= $2::timestamptz - interval '1 second')
       UNION
       SELECT school, pupil_local_id FROM report_case
         WHERE board = $1${inSchools} AND ($3::timestamptz IS NULL OR ended_at >= $3::timestamptz - interval '1 second')
       LIMIT $4`,
      schools === null
        ? [board, since.reports, since.cases, limit]
        : [board, since.reports, since.cases, limit, [...schools]],
    );
    return rows.map((r) => ({ school: r.school, localId: r.pupil_local_id }));
  }

  async reportsByIds(board: string, ids: readonly string[], today: string): Promise<Report[]> {
    if (ids.length === 0) return [];
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS('$3')} FROM report WHERE board = $1 AND id = ANY($2::uuid[])`,
      [board, [...ids], today],
    );
    return rows.map(toReport);
  }

  private async ofPupilsWith(
    columns: string,
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
  ): Promise<Report[]> {
    const rows: ReportRow[] = await this.dataSource.query(
      ...this.ofPupilsWithQuery(columns, board, schools, status, today),
    );
    return rows.map(toReport);
  }

  /**
   * One pass over the scope's reports: a pupil is in when any of their reports has the status (a window over
   * school and pupil), never a join of report with itself, which on a table without fresh statistics was
   * planned as a nested loop of index scans (5.6 s instead of 0.2 s for one school of the 30k-pupil bench board).
   */
  private ofPupilsWithQuery(
    columns: string,
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
    pupils: readonly CasePupil[] | null = null,
  ): [string, unknown[]] {
    const params: unknown[] = [board, status, today];
    let where = '';
    if (schools !== null) {
      params.push([...schools]);
      where += ` AND school = ANY($${params.length}::text[])`;
    }
    if (pupils !== null) {
      params.push(pupilsParam(pupils));
      where += ` AND (school, pupil_local_id) IN (${pupilsIn(params.length)})`;
    }
    return [
      `SELECT * FROM (
         SELECT ${columns}, bool_or(status = $2) OVER (PARTITION BY school, pupil_local_id) AS in_scope
         FROM report r WHERE r.board = $1${where} AND $3::date IS NOT NULL) scoped
       WHERE in_scope
       ORDER BY school, pupil_local_id, created_at, id LIMIT ${MAX_WORKLIST_REPORTS}`,
      params,
    ];
  }

  async reportsOfPupil(board: string, pupil: CasePupil, today: string): Promise<Report[]> {
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS('$4')} FROM report
       WHERE board = $1 AND school = $2 AND pupil_local_id = $3 ORDER BY created_at, id LIMIT 1000`,
      [board, pupil.school, pupil.localId, today],
    );
    return rows.map(toReport);
  }

  async endings(board: string, pupils: readonly CasePupil[]): Promise<Map<string, string>> {
    if (pupils.length === 0) return new Map();
    const rows: { case_id: string; end_date: string }[] = await this.dataSource.query(
      `SELECT c.case_id::text AS case_id, c.end_date::text AS end_date FROM report_case c
       JOIN jsonb_to_recordset($2::jsonb) AS x(school text, local_id text)
         ON c.school = x.school AND c.pupil_local_id = x.local_id
       WHERE c.board = $1`,
      [board, pupilsParam(pupils)],
    );
    return new Map(rows.map((r) => [r.case_id, r.end_date]));
  }

  async saveEnding(board: string, ending: CaseEnding, by: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO report_case (board, case_id, school, pupil_local_id, end_date, ended_by, ended_at)
       VALUES ($1, $2::uuid, $3, $4, $5::date, $6, $7)
       ON CONFLICT (board, case_id) DO UPDATE SET end_date = EXCLUDED.end_date, ended_by = EXCLUDED.ended_by,
         ended_at = EXCLUDED.ended_at`,
      [board, ending.caseId, ending.school, ending.localId, ending.endDate, by, at],
    );
  }

  async endDraftsOn(board: string, ids: readonly string[], endDate: string, at: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [rows] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE report SET fields = fields || jsonb_build_object('absence.endDate', $3::text), updated_at = $4
       WHERE board = $1 AND id = ANY($2::uuid[]) AND status = 'DRAFT' AND action = 'REPORT'
       RETURNING id::text AS id`,
      [board, [...ids], endDate, at],
    );
    return rows.map((r) => r.id);
  }

  async dailyChecks(
    board: string,
    schools: readonly string[] | null,
    page: Page,
  ): Promise<{ items: DailyCheckLesson[]; total: number }> {
    const rows: {
      school: string;
      date: string;
      lesson_hour: string | null;
      rule: string;
      pupils: number;
      total: number;
    }[] = await this.dataSource.query(
      `WITH lessons AS (
         SELECT s.school, s.payload->>'beginDate' AS date, h.hour AS lesson_hour, s.rule, s.pupil_local_id
         FROM signal s
         LEFT JOIN LATERAL jsonb_array_elements_text(
           CASE WHEN jsonb_typeof(s.payload->'detail'->'lessonHours') = 'array'
             THEN s.payload->'detail'->'lessonHours' ELSE '[]'::jsonb END) AS h(hour) ON true
         WHERE s.board = $1 AND s.status = 'OPEN' AND s.rule = ANY($2::text[])
           AND ($3::text[] IS NULL OR s.school = ANY($3::text[])))
       SELECT school, date, lesson_hour, rule, count(DISTINCT pupil_local_id)::int AS pupils,
         (count(*) OVER ())::int AS total
       FROM lessons GROUP BY school, date, lesson_hour, rule
       ORDER BY date DESC, school, lesson_hour NULLS LAST, rule
       LIMIT $4 OFFSET $5`,
      [board, [...DAILY_CHECK_RULES], schools === null ? null : [...schools], page.limit, page.offset],
    );
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && page.offset > 0) {
      const counted: { n: number }[] = await this.dataSource.query(
        `SELECT count(*)::int AS n FROM (
           SELECT DISTINCT s.school, s.payload->>'beginDate', h.hour, s.rule FROM signal s
           LEFT JOIN LATERAL jsonb_array_elements_text(
             CASE WHEN jsonb_typeof(s.payload->'detail'->'lessonHours') = 'array'
               THEN s.payload->'detail'->'lessonHours' ELSE '[]'::jsonb END) AS h(hour) ON true
           WHERE s.board = $1 AND s.status = 'OPEN' AND s.rule = ANY($2::text[])
             AND ($3::text[] IS NULL OR s.school = ANY($3::text[]))) AS folded`,
        [board, [...DAILY_CHECK_RULES], schools === null ? null : [...schools]],
      );
      total = counted[0]?.n ?? 0;
    }
    return {
      items: rows.map((r) => ({
        school: r.school,
        date: r.date,
        lessonHour: r.lesson_hour === null ? null : Number(r.lesson_hour),
        rule: r.rule,
        pupils: Number(r.pupils),
        group: null,
        teacher: null,
      })),
      total: Number(total),
    };
  }
}

/** Pupils as one query parameter (a JSON list), read back as rows by `pupilsIn`. */
const pupilsParam = (pupils: readonly CasePupil[]): string =>
  JSON.stringify(pupils.map((p) => ({ school: p.school, local_id: p.localId })));
/** The (school, pupil number) rows of the pupils parameter `$n`. */
const pupilsIn = (n: number): string =>
  `SELECT x.school, x.local_id FROM jsonb_to_recordset($${n}::jsonb) AS x(school text, local_id text)`;

/** What a row adds to a stamp: its id, status and last change (a report), or its end date (a case ending). */
const REPORT_HASH = `hashtext(id::text || status || updated_at::text)`;
const CASE_HASH = `hashtext(case_id::text || coalesce(end_date::text, '') || ended_at::text)`;

/** One part of the stamp as the query packs it: count, hash sum, latest change. */
type StampRow = [count: number, hash: string, changedAt: string | null];

/** A light report as the werkvoorraad's query packs it (see reportKeysOfPupilsWith). */
type LightRow = [
  id: string,
  kind: Report['kind'],
  status: Report['status'],
  action: Report['action'],
  supersedes: string | null,
  school: string,
  pupil: string,
  rule: string,
  deadline: string | null,
  createdAt: string,
  begin: string | null,
  end: string | null,
];
