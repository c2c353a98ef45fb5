import { setImmediate } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, QueryRunner } from 'typeorm';
import {
  type BatchChanges,
  type BatchHeader,
  type BoardScope,
  CHANGED_EVENT_IDS,
  type CanonicalRecord,
  type FinishBatch,
  ForbiddenError,
  type Lesson,
  type OutboxEvent,
  type QuarantinedInput,
  type RecordBatchWriter,
  type RecordCoverage,
} from '#domain';
import { insertOutboxEvent } from './outbox.repository.js';
import { LESSONS_FOR } from './timetable.repository.js';
import { STAGE_COLUMNS, STAGE_TYPES, columns, contentHash, stageRow, stageText } from './bulk-rows.js';
import { RECORD_COLUMNS } from './record-row.js';
import { PERSISTENCE_ERRORS } from '../persistence-error-codes.js';

/** Marks a batch holding a record without a school: only whole-board scopes see it. Never a valid BRIN. */
export const NO_SCHOOL = '*';

/** How staged rows reach the server: COPY on PostgreSQL; multi-row INSERT on PGlite, whose socket has no COPY. */
export type BulkMode = 'copy' | 'insert';

/** What an upsert changes of a stored record: every typed column but its id. */
const UPDATED_COLUMNS = RECORD_COLUMNS.filter((c) => c !== 'record_id')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');
/** Rows per multi-row INSERT: one slice, one statement. */
const INSERT_SLICE = 5_000;
/** Records turned into COPY text at once before other work gets a turn (about 10–20 ms of work). */
const STAGE_SLICE = 1_000;
/**
 * Staged records applied to the store at once, while the caller reads and normalises the next part (ADR 0033,
 * decision 6): the server's apply of one part runs beside the JavaScript of the next.
 */
const APPLY_PART = 200_000;

/** How a writer applies its batch; the default for everything but specs that need small parts. */
export interface WriterOptions {
  /** Staged records per apply (at least 1). */
  readonly applyPart?: number;
}
const STAGE_INSERT = `INSERT INTO ingest_stage (${STAGE_COLUMNS.join(', ')})
  SELECT ${STAGE_COLUMNS.map((c, n) => (STAGE_TYPES[n] === 'text' ? c : `${c}::${STAGE_TYPES[n]}`)).join(', ')}
  FROM unnest(${STAGE_COLUMNS.map((_, n) => `$${n + 1}::text[]`).join(', ')}) AS u(${STAGE_COLUMNS.join(', ')})`;

/**
 * The stored row of the record a row of `alias` names (board `$1`), as `c`, for `LATERAL`: one primary-key probe
 * per row. `OFFSET 0` keeps the planner from flattening it into a join it may run as a scan of the board's whole
 * partition, which it chooses when the board's statistics predate the batch (a new board, a large first load):
 * measured at 2 million stored records, 1.6–2.7 s a part of 200,000 with that scan (growing with the board,
 * every part) against 1.3–1.5 s with the probes (growing with the part only).
 */
const STORED_ROW_OF = (alias: string): string =>
  `(SELECT * FROM canonical_record c WHERE c.board = $1 AND c.record_id = ${alias}.record_id OFFSET 0) c`;

/** Detects the bulk mode of a database once: PGlite names itself in `version()`. */
export async function bulkModeOf(dataSource: DataSource): Promise<BulkMode> {
  const rows: { v: string }[] = await dataSource.query('SELECT version() AS v');
  return /PGlite/i.test(rows[0]?.v ?? '') ? 'insert' : 'copy';
}

/**
 * One batch written in slices on one connection inside one transaction (ADR 0009): records are staged in a
 * temporary table (COPY or multi-row INSERT) and, a part of `applyPart` records at a time while the caller
 * prepares the next part (its COPY text waiting in memory until the server is free), compared with the current
 * versions by content hash and upserted set-wise; superseded versions move to `canonical_record_version`. A
 * record staged again later in the batch overwrites what the batch itself wrote (one version for the batch, the
 * later row wins). At the end, with a coverage, records the payload lacks get a deletion version; the outbox
 * events the caller makes of the changes and the batch's status `PROCESSED` commit with it.
 */
export class PgRecordBatchWriter implements RecordBatchWriter {
  private staged = 0;
  /** Staged since the last apply (the rows now in `ingest_stage`). */
  private pending = 0;
  /** The record ids of those rows, to see whether the part holds one record twice. */
  private readonly partIds = new Set<string>();
  /** Parts applied so far. */
  private parts = 0;
  /** Rows dropped because the same part staged their record again later. */
  private partDuplicates = 0;
  /** Records a later part wrote again after an earlier part of the batch had changed them. */
  private writtenAgain = 0;
  /** The apply running beside the caller, if any; every step that touches the stage waits for it. */
  private applying: Promise<void> | null = null;
  /** Whether that apply is still running on the connection (it has not settled). */
  private applyBusy = false;
  /**
   * COPY text of the next part made while the server applies the previous one: the connection runs one statement
   * at a time, so it waits here (at most one part) instead of the caller waiting for the server.
   */
  private readonly waiting: Buffer[] = [];
  private readonly schools = new Set<string>();
  private copy: ReturnType<typeof copyFrom> | null = null;
  private copyDone: Promise<void> | null = null;
  private lessonsStored = 0;
  private readonly lessonKeys = new Map<string, Set<string>>();
  /** Per school: whether it had stored lessons when the batch first asked (see `lessonsFor`). */
  private readonly schoolHasLessons = new Map<string, boolean>();
  private closed = false;

  private constructor(
    private readonly runner: QueryRunner,
    private readonly client: PoolClient,
    private readonly mode: BulkMode,
    private readonly board: string,
    private readonly header: BatchHeader,
    private readonly applyPart: number,
  ) {}

  static async open(
    dataSource: DataSource,
    mode: BulkMode,
    scope: BoardScope,
    header: BatchHeader,
    options: WriterOptions = {},
  ): Promise<PgRecordBatchWriter> {
    const runner = dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const applyPart = Math.max(1, Math.floor(options.applyPart ?? APPLY_PART));
    const writer = new PgRecordBatchWriter(runner, client, mode, scope.board, header, applyPart);
    try {
      await client.query('BEGIN');
      await client.query(
        // seq: the order rows were staged in, so that of one record staged twice in a part the later one wins.
        `CREATE TEMP TABLE ingest_stage (seq bigserial, ${STAGE_COLUMNS.map((c, i) => `${c} ${STAGE_TYPES[i]}`).join(', ')})
         ON COMMIT DROP`,
      );
      // Every record id the batch staged (the coverage's "still in the payload"), the batch's changes, and one
      // part's changes while it is applied.
      await client.query(`CREATE TEMP TABLE ingest_seen (record_id text NOT NULL) ON COMMIT DROP`);
      await client.query(
        `CREATE TEMP TABLE ingest_change (record_id text NOT NULL, kind text NOT NULL) ON COMMIT DROP`,
      );
      await client.query(
        `CREATE TEMP TABLE ingest_part_change (record_id text NOT NULL, kind text NOT NULL) ON COMMIT DROP`,
      );
      await client.query(
        `INSERT INTO record_batch (id, board, schools, status, record_count, submitted_by, received_at,
           process_count, quarantined_count, source_system)
         VALUES ($1, $2, '{}', 'RECEIVED', 0, $3, $4, 0, 0, $5)`,
        [header.id, scope.board, header.submittedBy, header.receivedAt, header.sourceSystem ?? null],
      );
    } catch (error) {
      await writer.rollback();
      throw error;
    }
    return writer;
  }

  private readonly addSchool = (brin: string | null): void => {
    this.schools.add(brin ?? NO_SCHOOL);
  };

  get batchId(): string {
    return this.header.id;
  }

  async appendRecords(records: readonly CanonicalRecord[]): Promise<void> {
    this.assertOpen();
    if (records.length === 0) return;
    if (this.mode === 'insert') await this.settle();
    this.staged += records.length;
    this.pending += records.length;
    for (const record of records) this.partIds.add(record.recordId);
    if (this.mode === 'copy') {
      // COPY text straight from the records (no row arrays), a slice at a time with the event loop's other work
      // (other requests) in between; backpressure: wait for the socket to drain before the next slice. While the
      // previous part is being applied the text waits in memory, so the parse never waits for the server.
      for (let i = 0; i < records.length; i += STAGE_SLICE) {
        if (i > 0) await setImmediate();
        const text = stageText(records.slice(i, i + STAGE_SLICE), this.addSchool);
        if (this.applyBusy) {
          // As bytes: the text is a rope of many small strings, twice the size until it is flattened.
          this.waiting.push(Buffer.from(text));
          continue;
        }
        await this.writeWaiting();
        const stream = this.openCopy();
        if (!stream.write(text)) await waitDrain(stream);
      }
    } else {
      const rows = records.map((record) => {
        this.addSchool(record.school?.brin ?? null);
        return stageRow(record);
      });
      for (let i = 0; i < rows.length; i += INSERT_SLICE) {
        const cols = columns(rows.slice(i, i + INSERT_SLICE), STAGE_COLUMNS.length);
        await this.client.query(STAGE_INSERT, cols);
      }
    }
    if (this.pending >= this.applyPart) {
      await this.writeWaiting();
      await this.endCopy();
      // Not awaited: the server applies this part while the caller reads the next; its failure is thrown by the
      // next step that waits for it (and the batch is rolled back).
      this.applyBusy = true;
      const applying = this.applyStaged().finally(() => {
        this.applyBusy = false;
      });
      applying.catch(() => undefined);
      this.applying = applying;
    }
  }

  /** After the part being applied (waited for), the text that waited for it goes to the stage. */
  private async writeWaiting(): Promise<void> {
    await this.settle();
    if (this.waiting.length === 0) return;
    const stream = this.openCopy();
    for (const bytes of this.waiting.splice(0)) if (!stream.write(bytes)) await waitDrain(stream);
  }

  /** Waits for the part being applied; throws what it failed with. */
  private async settle(): Promise<void> {
    const applying = this.applying;
    if (applying === null) return;
    this.applying = null;
    await applying;
  }

  async appendLessons(school: string, lessons: readonly Lesson[]): Promise<void> {
    this.assertOpen();
    if (lessons.length === 0) return;
    await this.settle();
    await this.endCopy();
    // The same lesson twice in a payload is one lesson (the last wins, as in an upsert).
    const byKey = new Map<string, Lesson>();
    for (const lesson of lessons) byKey.set(`${lesson.pupil ?? ''}\u0000${lesson.lessonId}`, lesson);
    let keys = this.lessonKeys.get(school);
    if (!keys) this.lessonKeys.set(school, (keys = new Set()));
    const rows = [...byKey.entries()].map(([key, lesson]) => {
      keys.add(key);
      const json = JSON.stringify(lesson);
      return [lesson.pupil ?? '', lesson.lessonId, lesson.date, lesson.sourceSystem, contentHash(json), json];
    });
    for (let i = 0; i < rows.length; i += INSERT_SLICE) {
      const cols = columns(rows.slice(i, i + INSERT_SLICE), 6);
      const written = await this.client.query(
        `INSERT INTO lesson (board, school, pupil, lesson_id, date, source_system, content_hash, payload, batch_id)
         SELECT $1, $2, p, l, d::date, s, h, j::jsonb, $3
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS u(p, l, d, s, h, j)
         ON CONFLICT (board, school, pupil, lesson_id) DO UPDATE SET date = excluded.date,
           source_system = excluded.source_system, content_hash = excluded.content_hash,
           payload = excluded.payload, batch_id = excluded.batch_id
         WHERE lesson.content_hash <> excluded.content_hash`,
        [this.board, school, this.header.id, ...cols],
      );
      this.lessonsStored += written.rowCount ?? 0;
    }
  }

  async lessonsFor(school: string, pupils: readonly string[], from: string, to: string): Promise<Lesson[]> {
    this.assertOpen();
    // A school without stored lessons (most absence-only schools) is asked once per batch, not once per payload
    // part: every further call would have to end the running COPY and wait for the server to catch up. The batch
    // reads the lessons as they were at its first look (lessons it writes itself are always read back).
    if (!this.lessonKeys.has(school)) {
      let stored = this.schoolHasLessons.get(school);
      if (stored === undefined) {
        await this.endCopy();
        const found = await this.client.query(
          `SELECT EXISTS (SELECT 1 FROM lesson WHERE board = $1 AND school = $2) AS found`,
          [this.board, school],
        );
        stored = (found.rows as { found: boolean }[])[0]?.found === true;
        this.schoolHasLessons.set(school, stored);
      }
      if (!stored) return [];
    }
    await this.endCopy();
    const result = await this.client.query(LESSONS_FOR, [this.board, school, from, to, [...pupils]]);
    return (result.rows as { payload: Lesson }[]).map((row) => row.payload);
  }

  async finish(options: FinishBatch): Promise<BatchChanges> {
    this.assertOpen();
    try {
      await this.writeWaiting();
      await this.endCopy();
      if (this.pending > 0) await this.applyStaged();
      const changes = await this.applyChanges(
        options.coverage,
        options.covers ?? 'records',
        options.quarantined ?? [],
      );
      await this.insertQuarantine(options.quarantined ?? []);
      if (options.resolves && options.resolves.length > 0) {
        await this.client.query(
          `UPDATE quarantined_input SET resolved_at = $3, resolved_by_batch = $2
           WHERE board = $4 AND id = ANY($1::bigint[]) AND resolved_at IS NULL`,
          [options.resolves, this.header.id, this.header.receivedAt, this.board],
        );
      }
      const changed = changes.created + changes.updated + changes.deleted;
      if (changed > 0) await this.insertChangeEvents(changed, options.events);
      // Stored is processed: the batch has no further step of its own (signal evaluation follows its events).
      await this.client.query(
        `UPDATE record_batch SET schools = $2, record_count = $3, quarantined_count = $4, created_count = $5,
           updated_count = $6, deleted_count = $7, unchanged_count = $8, coverage = $9::jsonb,
           status = 'PROCESSED', processed_at = $10, process_count = 1
         WHERE id = $1`,
        [
          this.header.id,
          [...this.schools].sort(),
          this.staged,
          options.quarantined?.length ?? 0,
          changes.created,
          changes.updated,
          changes.deleted,
          changes.unchanged,
          options.coverage === null ? null : JSON.stringify(options.coverage),
          this.header.receivedAt,
        ],
      );
      await this.client.query('COMMIT');
      await this.release();
      return changes;
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  async abort(): Promise<void> {
    if (this.closed) return;
    await this.rollback();
  }

  /**
   * Applies the staged part: of one record staged twice in it the later row is the record; each record is
   * compared with its current version — created (none), revived (a deletion), updated (other content), or
   * written again by this batch (the batch's own version is overwritten, its first kind kept) — then the
   * superseded versions move to the history and the part is upserted. The stage is emptied for the next part.
   */
  private async applyStaged(): Promise<void> {
    const q = (text: string, params: unknown[] = []) => this.client.query(text, params);
    const board = this.board;
    const batch = this.header.id;
    const twiceInPart = this.partIds.size < this.pending;
    let inStage = this.pending;
    this.partIds.clear();
    this.pending = 0;
    this.parts += 1;
    // Statistics for the join key only, once: the planner needs record_id's spread, not the payloads'; the next
    // parts are alike (about 0.3 s a part of 50,000 when gathered every time).
    if (this.parts === 1) await q('ANALYZE ingest_stage (record_id)');
    // Of one record staged twice in the part, the later row is the record. Rare (the ingest de-duplicates each
    // payload part), so only a part that has one pays for the self-join.
    if (twiceInPart) {
      const twice = await q(
        `DELETE FROM ingest_stage s USING ingest_stage t WHERE t.record_id = s.record_id AND t.seq > s.seq`,
      );
      this.partDuplicates += twice.rowCount ?? 0;
      inStage -= twice.rowCount ?? 0;
    }
    // Appended, not indexed: read at the end only (the distinct count, the coverage).
    await q(`INSERT INTO ingest_seen SELECT record_id FROM ingest_stage`);
    // One primary-key probe per staged row: the cost follows the part, not the board (see STORED_ROW_OF).
    const found = await q(
      `INSERT INTO ingest_part_change (record_id, kind)
       SELECT s.record_id, CASE WHEN c.record_id IS NULL THEN 'created' WHEN c.batch_id = $2 THEN 'again'
         WHEN c.deleted THEN 'revived' ELSE 'updated' END
       FROM ingest_stage s LEFT JOIN LATERAL ${STORED_ROW_OF('s')} ON true
       WHERE c.record_id IS NULL OR c.deleted OR c.content_hash <> s.content_hash`,
      [board, batch],
    );
    const changed = found.rowCount ?? 0;
    if (changed > 0) {
      const again = await q(`SELECT count(*)::int AS n FROM ingest_part_change WHERE kind = 'again'`);
      this.writtenAgain += (again.rows as { n: number }[])[0]?.n ?? 0;
      await this.keepSuperseded('ingest_part_change', ['revived', 'updated']);
      // Every staged row changed (a first load): no need to join the changes back in.
      const source =
        changed === inStage
          ? 'ingest_stage s'
          : 'ingest_stage s JOIN ingest_part_change ch ON ch.record_id = s.record_id';
      await q(
        `INSERT INTO canonical_record (board, ${RECORD_COLUMNS.join(', ')}, batch_id, version, content_hash, deleted)
         SELECT $1, ${RECORD_COLUMNS.map((col) => `s.${col}`).join(', ')}, $2, 1, s.content_hash, false
         FROM ${source}
         ON CONFLICT (board, record_id) DO UPDATE SET ${UPDATED_COLUMNS}, batch_id = excluded.batch_id,
           content_hash = excluded.content_hash, deleted = false,
           version = canonical_record.version + CASE WHEN canonical_record.batch_id = excluded.batch_id THEN 0 ELSE 1 END`,
        [board, batch],
      );
      await q(
        `INSERT INTO ingest_change SELECT record_id, kind FROM ingest_part_change WHERE kind <> 'again'`,
      );
      await q('TRUNCATE ingest_part_change');
    }
    await q('TRUNCATE ingest_stage');
  }

  /** The current versions of the changes of these kinds move to the history, superseded by this batch. */
  private async keepSuperseded(
    changes: 'ingest_part_change' | 'ingest_change',
    kinds: readonly ('revived' | 'updated' | 'deleted')[],
  ): Promise<void> {
    await this.client.query(
      `INSERT INTO canonical_record_version
         (board, ${RECORD_COLUMNS.join(', ')}, batch_id, version, content_hash, deleted, superseded_by_batch)
       SELECT c.board, ${RECORD_COLUMNS.map((col) => `c.${col}`).join(', ')}, c.batch_id, c.version,
         c.content_hash, c.deleted, $2
       FROM ${changes} ch CROSS JOIN LATERAL ${STORED_ROW_OF('ch')}
       WHERE ch.kind = ANY($3::text[])`,
      [this.board, this.header.id, kinds],
    );
  }

  private async applyChanges(
    coverage: RecordCoverage | null,
    covers: 'records' | 'lessons',
    quarantined: readonly QuarantinedInput[],
  ): Promise<BatchChanges> {
    const q = (text: string, params: unknown[]) => this.client.query(text, params);
    const board = this.board;
    const batch = this.header.id;
    // An unreadable payload (a quarantined item without id) covers nothing: deleting would lose data.
    if (coverage !== null && covers === 'records' && !quarantined.some((item) => item.sourceId === null)) {
      // A record the payload lacks only because it sits in quarantine has not disappeared upstream: kept.
      const held = [...new Set(quarantined.map((item) => item.sourceId as string))];
      await q(
        `INSERT INTO ingest_change (record_id, kind)
         SELECT c.record_id, 'deleted' FROM canonical_record c
         WHERE c.board = $1 AND c.school_brin = $2 AND c.source_system = $3 AND c.date BETWEEN $4::date AND $5::date
           AND ($6::text IS NULL OR c.pupil_local_id = $6) AND NOT c.deleted
           AND NOT COALESCE(c.source_id = ANY($7::text[]), false)
           AND NOT EXISTS (SELECT 1 FROM ingest_seen s WHERE s.record_id = c.record_id)`,
        [board, coverage.school, coverage.system, coverage.from, coverage.to, coverage.pupil ?? null, held],
      );
    }
    // A record an earlier part changed and a later part set back to what was stored before the batch has not
    // changed: its version from before comes back (number, batch), the history row this batch made goes.
    if (this.writtenAgain > 0) {
      await q(
        `WITH reverted AS (
           SELECT v.record_id, v.batch_id, v.version FROM ingest_change ch
           JOIN canonical_record c ON c.board = $1 AND c.record_id = ch.record_id
           JOIN canonical_record_version v ON v.board = $1 AND v.record_id = ch.record_id
             AND v.superseded_by_batch = $2
           WHERE ch.kind = 'updated' AND NOT v.deleted AND v.content_hash = c.content_hash
         ), restored AS (
           UPDATE canonical_record c SET batch_id = r.batch_id, version = r.version
           FROM reverted r WHERE c.board = $1 AND c.record_id = r.record_id RETURNING c.record_id
         ), forgotten AS (
           DELETE FROM canonical_record_version v USING reverted r
           WHERE v.board = $1 AND v.record_id = r.record_id AND v.superseded_by_batch = $2 RETURNING v.record_id
         )
         DELETE FROM ingest_change ch USING reverted r WHERE ch.record_id = r.record_id AND ch.kind = 'updated'`,
        [board, batch],
      );
    }
    // Records the batch holds, each once: of several parts, one record may be in more than one.
    let unique = this.staged - this.partDuplicates;
    if (this.parts > 1) {
      await q(`SET LOCAL work_mem = '64MB'`, []);
      const distinct = await q(
        `SELECT count(*)::int AS n FROM (SELECT DISTINCT record_id FROM ingest_seen) d`,
        [],
      );
      unique = (distinct.rows as { n: number }[])[0]?.n ?? 0;
      await q(`RESET work_mem`, []);
    }
    const counted = await q(`SELECT kind, count(*)::int AS n FROM ingest_change GROUP BY kind`, []);
    const count = (kind: string): number =>
      (counted.rows as { kind: string; n: number }[]).find((r) => r.kind === kind)?.n ?? 0;
    const created = count('created') + count('revived');
    const updated = count('updated');
    const deleted = count('deleted');
    if (deleted > 0) {
      await this.keepSuperseded('ingest_change', ['deleted']);
      await q(
        `UPDATE canonical_record c SET deleted = true, version = c.version + 1, batch_id = $2
         FROM ingest_change ch WHERE c.board = $1 AND c.record_id = ch.record_id AND ch.kind = 'deleted'`,
        [board, batch],
      );
    }
    const lessonsRemoved = coverage === null || covers !== 'lessons' ? 0 : await this.removeLessons(coverage);
    return {
      created,
      updated,
      deleted,
      unchanged: unique - created - updated,
      lessonsStored: this.lessonsStored,
      lessonsRemoved,
    };
  }

  /** Within the coverage, the payload's lessons replace the stored ones of that system. */
  private async removeLessons(coverage: RecordCoverage): Promise<number> {
    const keys = [...(this.lessonKeys.get(coverage.school) ?? [])];
    const pupils = keys.map((k) => k.slice(0, k.indexOf('\u0000')));
    const ids = keys.map((k) => k.slice(k.indexOf('\u0000') + 1));
    const removed = await this.client.query(
      `DELETE FROM lesson l
       WHERE l.board = $1 AND l.school = $2 AND l.source_system = $3 AND l.date BETWEEN $4::date AND $5::date
         AND ($6::text IS NULL OR l.pupil = $6)
         AND NOT EXISTS (SELECT 1 FROM unnest($7::text[], $8::text[]) AS k(p, i) WHERE k.p = l.pupil AND k.i = l.lesson_id)`,
      [
        this.board,
        coverage.school,
        coverage.system,
        coverage.from,
        coverage.to,
        coverage.pupil ?? null,
        pupils,
        ids,
      ],
    );
    return removed.rowCount ?? 0;
  }

  /**
   * The caller's events for each part of the changes: the changed ids in record-id order, `CHANGED_EVENT_IDS` a
   * part, read through a cursor (one sort; one part in memory at a time).
   */
  private async insertChangeEvents(changed: number, events: FinishBatch['events']): Promise<void> {
    const parts = Math.ceil(changed / CHANGED_EVENT_IDS);
    await this.client.query(
      `DECLARE ingest_changes NO SCROLL CURSOR FOR SELECT record_id, kind FROM ingest_change ORDER BY record_id`,
    );
    for (let part = 1; part <= parts; part++) {
      const page = await this.client.query(`FETCH FORWARD ${CHANGED_EVENT_IDS} FROM ingest_changes`);
      const ids = { created: [] as string[], updated: [] as string[], deleted: [] as string[] };
      for (const row of page.rows as { record_id: string; kind: string }[]) {
        // A record back after a deletion is created again.
        ids[row.kind === 'updated' || row.kind === 'deleted' ? row.kind : 'created'].push(row.record_id);
      }
      for (const event of events({ part, parts, ...ids })) await this.insertEvent(event);
    }
    await this.client.query('CLOSE ingest_changes');
  }

  private async insertEvent(event: OutboxEvent): Promise<void> {
    await insertOutboxEvent(this.client, event, this.header.receivedAt);
  }

  private async insertQuarantine(items: readonly QuarantinedInput[]): Promise<void> {
    for (let i = 0; i < items.length; i += INSERT_SLICE) {
      const rows = items
        .slice(i, i + INSERT_SLICE)
        .map((item) => [
          item.sourceSystem,
          item.sourceId,
          item.reason,
          item.detail,
          item.raw === undefined ? null : JSON.stringify(item.raw),
        ]);
      await this.client.query(
        `INSERT INTO quarantined_input (board, school, batch_id, source_system, source_id, reason, detail, raw, received_at)
         SELECT $1, $2, $3, s, i, r, d, j::jsonb, $4
         FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY AS u(s, i, r, d, j, n)
         ORDER BY n`,
        [this.board, this.header.school ?? null, this.header.id, this.header.receivedAt, ...columns(rows, 5)],
      );
    }
  }

  private openCopy(): ReturnType<typeof copyFrom> {
    if (this.copy) return this.copy;
    const stream = this.client.query(copyFrom(`COPY ingest_stage (${STAGE_COLUMNS.join(', ')}) FROM STDIN`));
    this.copyDone = new Promise<void>((resolve, reject) => {
      stream.on('finish', () => resolve());
      stream.on('error', reject);
    });
    // Until endCopy awaits it, a failure is remembered, not unhandled.
    this.copyDone.catch(() => undefined);
    this.copy = stream;
    return stream;
  }

  private async endCopy(): Promise<void> {
    if (!this.copy) return;
    const done = this.copyDone!;
    this.copy.end();
    this.copy = null;
    this.copyDone = null;
    await done;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('record batch writer is closed');
  }

  private async rollback(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      // A part still being applied finishes (or fails) first: the connection is not released under it.
      await this.applying?.catch(() => undefined);
      this.applying = null;
      this.waiting.length = 0;
      if (this.copy) {
        this.copy.destroy(new Error('batch aborted'));
        this.copy = null;
        await this.copyDone?.catch(() => undefined);
      }
      await this.client.query('ROLLBACK');
    } catch {
      // The connection is broken or the copy was cut off: it is released either way.
    }
    await this.runner.release();
  }

  private async release(): Promise<void> {
    this.closed = true;
    await this.runner.release();
  }
}

function waitDrain(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (error: Error) => done(error);
    stream.on('drain', onDrain);
    stream.on('error', onError);
  });
}

/** Refuses a batch for another board before anything is written. */
export function assertBoard(scope: BoardScope, board: string): void {
  if (board !== scope.board)
    throw new ForbiddenError(PERSISTENCE_ERRORS.BOARD_OUT_OF_SCOPE, 'Batch belongs to another school board');
}
