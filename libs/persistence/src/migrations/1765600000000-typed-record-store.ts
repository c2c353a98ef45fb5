import type { MigrationInterface, QueryRunner } from 'typeorm';
import { INDEX_COMMENTS } from './1765590000000-record-index-inventory.js';

// The codes as this migration writes them (the store's own lists in repositories/record-row.ts start with these;
// they only ever grow at the end). Frozen here: a migration does what it did when it was written.
const CATEGORIES = [
  'PRESENT',
  'SICK',
  'MEDICAL_VISIT',
  'LEAVE_IMPORTANT_CIRCUMSTANCES',
  'LEAVE_RELIGIOUS',
  'LEAVE_HOLIDAY',
  'LEAVE_UNDER_SIX',
  'LEAVE_HEAD_GRANTED',
  'SCHOOL_SENT_OUT',
  'SCHOOL_SUSPENSION',
  'SCHOOL_EXPULSION',
  'LATE_AUTHORISED',
  'UNAUTHORISED',
  'LATE_UNAUTHORISED',
  'OTHER',
  'UNEXPLAINED',
  'TIMETABLE_ADJUSTMENT',
];
const LEGAL_CLASSES = ['present', 'authorised', 'unauthorised', 'pending', 'not_absence'];
const REGISTERED_VIA = ['REPORT', 'TEACHER_CHECK', 'CALL_BACK', 'AGGREGATE'];
const MAPPING_SOURCES = ['school', 'fallback'];
const PARTITIONS = 16;

const list = (values: readonly string[]): string =>
  `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]::text[]`;
/** A code from its value: its position in the list, from 0. */
const code = (values: readonly string[], value: string): string =>
  `array_position(${list(values)}, ${value}) - 1`;
/** A value from its code. */
const value = (values: readonly string[], column: string): string => `(${list(values)})[${column} + 1]`;

/** The record's typed columns (ADR 0033); the bulk writer stages the same (repositories/record-row.ts). */
const TYPED_COLUMNS = `
  "record_id" text NOT NULL,
  "source_id" text,
  "source_system" text NOT NULL,
  "source_record_type" text NOT NULL,
  "pupil_local_id" text NOT NULL,
  "leerlingnummer" text,
  "has_school" boolean NOT NULL,
  "school_brin" text,
  "vestiging" text,
  "date" date NOT NULL,
  "start_at" timestamptz,
  "start_offset" smallint,
  "start_text" text,
  "end_at" timestamptz,
  "end_offset" smallint,
  "end_text" text,
  "whole_day" boolean NOT NULL,
  "lesson_hour_from" smallint,
  "lesson_hour_to" smallint,
  "category" smallint NOT NULL,
  "legal_class" smallint NOT NULL,
  "registered_via" smallint NOT NULL,
  "missed_minutes" double precision,
  "missed_lessons" double precision,
  "reason_code" text,
  "explained_by" text,
  "mapping_source" smallint NOT NULL,
  "mapping_version" text,
  "batch_id" uuid NOT NULL,
  "version" integer NOT NULL,
  "content_hash" text NOT NULL,
  "deleted" boolean NOT NULL`;

/**
 * The typed columns from a jsonb record `p` and the old row `r`, in `TYPED_COLUMNS` order. The current table has
 * columns for source id, system, pupil and date; a version has only its payload.
 */
const fromJson = (of: 'current' | 'version'): string => {
  const [sourceId, system, pupil, date] =
    of === 'current'
      ? ['r.source_id', 'r.source_system', 'r.pupil_local_id', 'r.date']
      : [`p->>'sourceId'`, `p->>'sourceSystem'`, `p->'pupil'->>'localId'`, `(p->>'date')::date`];
  return `
  r.record_id, ${sourceId}, ${system}, p->>'sourceRecordType', ${pupil},
  p->'pupil'->>'leerlingnummer', jsonb_typeof(p->'school') = 'object', p->'school'->>'brin',
  p->'school'->>'vestiging', ${date},
  (s.parts).at, (s.parts).off, (s.parts).txt, (e.parts).at, (e.parts).off, (e.parts).txt,
  (p->>'wholeDay')::boolean, (p->>'lessonHourFrom')::smallint, (p->>'lessonHourTo')::smallint,
  ${code(CATEGORIES, `p->>'category'`)}, ${code(LEGAL_CLASSES, `p->>'legalClass'`)},
  ${code(REGISTERED_VIA, `p->>'registeredVia'`)},
  (p->>'missedMinutes')::double precision, (p->>'missedLessons')::double precision,
  p->>'reasonCode', p->>'explainedBy', ${code(MAPPING_SOURCES, `p->'mapping'->>'source'`)},
  p->'mapping'->>'version',
  r.batch_id, r.version, r.content_hash, r.deleted`;
};

/** A date-time written back from its instant and offset (or kept text). */
const stamp = (at: string, off: string, text: string): string =>
  `coalesce(${text}, to_char(${at} AT TIME ZONE 'UTC' + ${off} * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS') ||
    CASE WHEN ${off} < 0 THEN '-' ELSE '+' END || lpad((abs(${off}) / 60)::text, 2, '0') || ':' ||
    lpad((abs(${off}) % 60)::text, 2, '0'))`;

/** The record (contracts §2) as jsonb, from the typed columns: the same value the old `payload` held. */
const RECORD_JSON = `jsonb_build_object(
  'recordId', record_id, 'sourceSystem', source_system, 'sourceRecordType', source_record_type,
  'sourceId', source_id,
  'pupil', CASE WHEN leerlingnummer IS NULL THEN jsonb_build_object('localId', pupil_local_id)
    ELSE jsonb_build_object('localId', pupil_local_id, 'leerlingnummer', leerlingnummer) END,
  'school', CASE WHEN has_school THEN jsonb_strip_nulls(jsonb_build_object('brin', school_brin, 'vestiging', vestiging))
    END,
  'date', to_char(date, 'YYYY-MM-DD'),
  'start', ${stamp('start_at', 'start_offset', 'start_text')},
  'end', ${stamp('end_at', 'end_offset', 'end_text')},
  'wholeDay', whole_day, 'lessonHourFrom', lesson_hour_from, 'lessonHourTo', lesson_hour_to,
  'category', ${value(CATEGORIES, 'category')}, 'legalClass', ${value(LEGAL_CLASSES, 'legal_class')},
  'registeredVia', ${value(REGISTERED_VIA, 'registered_via')},
  'missedMinutes', missed_minutes, 'missedLessons', missed_lessons, 'reasonCode', reason_code,
  'explainedBy', explained_by,
  'mapping', CASE WHEN mapping_version IS NULL
    THEN jsonb_build_object('source', ${value(MAPPING_SOURCES, 'mapping_source')})
    ELSE jsonb_build_object('source', ${value(MAPPING_SOURCES, 'mapping_source')}, 'version', mapping_version) END)`;

/**
 * The record store shaped by its queries (issue 18, ADR 0033): `canonical_record` and `canonical_record_version`
 * hold each record's fields as typed columns — codes for the closed sets, date-times as an instant with the offset
 * they were written in (any other notation kept as text), minutes as numbers — instead of a `jsonb` copy beside
 * columns that repeated it; both are partitioned by board (`PARTITION BY HASH`, 16 partitions); the foreign key to
 * `record_batch` goes (a batch is written with its records and removed only when none names it); the pupil index
 * becomes (board, pupil, date), which serves a pupil's window of dates without a sort. The record tally's triggers
 * move with the table (its counts do not change). Views `canonical_record_json` and `canonical_record_version_json`
 * give the record as the JSON it was, for people with psql (and the down migration writes the same JSON back).
 * Every row is migrated; `down` restores the previous shape, payload and all.
 */
export class TypedRecordStore1765600000000 implements MigrationInterface {
  name = 'TypedRecordStore1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "canonical_record" RENAME TO "canonical_record_jsonb"`);
    await q.query(`ALTER INDEX "canonical_record_pkey" RENAME TO "canonical_record_jsonb_pkey"`);
    await q.query(`ALTER TABLE "canonical_record_version" RENAME TO "canonical_record_version_jsonb"`);
    await q.query(
      `ALTER INDEX "canonical_record_version_pkey" RENAME TO "canonical_record_version_jsonb_pkey"`,
    );
    for (const [index] of INDEX_COMMENTS.filter(([name]) => name !== 'canonical_record_pkey')) {
      await q.query(`DROP INDEX "${index}"`);
    }
    await q.query(`CREATE TABLE "canonical_record" ("board" text NOT NULL, ${TYPED_COLUMNS},
      PRIMARY KEY ("board", "record_id")) PARTITION BY HASH ("board")`);
    await q.query(`CREATE TABLE "canonical_record_version" ("board" text NOT NULL, ${TYPED_COLUMNS},
      "superseded_by_batch" uuid NOT NULL, PRIMARY KEY ("board", "record_id", "version")) PARTITION BY HASH ("board")`);
    for (let i = 0; i < PARTITIONS; i++) {
      const n = String(i).padStart(2, '0');
      for (const table of ['canonical_record', 'canonical_record_version']) {
        await q.query(`CREATE TABLE "${table}_p${n}" PARTITION OF "${table}"
          FOR VALUES WITH (MODULUS ${PARTITIONS}, REMAINDER ${i})`);
      }
    }
    // The instant and offset of a stored date-time text, or the text when they would not write it back the same.
    await q.query(`CREATE FUNCTION "canonical_record_stamp"(t text, OUT at timestamptz, OUT off smallint,
        OUT txt text) LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        IF t IS NULL THEN RETURN; END IF;
        IF t ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}$' THEN
          BEGIN
            at := t::timestamptz;
            off := (CASE WHEN substr(t, 20, 1) = '-' THEN -1 ELSE 1 END)
              * (substr(t, 21, 2)::int * 60 + substr(t, 24, 2)::int);
            IF abs(off) < 1440 AND NOT (off = 0 AND substr(t, 20, 1) = '-')
              AND to_char(at AT TIME ZONE 'UTC' + off * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS') = substr(t, 1, 19)
            THEN RETURN; END IF;
          EXCEPTION WHEN others THEN NULL;
          END;
        END IF;
        at := NULL; off := NULL; txt := t;
      END $$`);
    const parts = `CROSS JOIN LATERAL (SELECT canonical_record_stamp(p->>'start') AS parts) s
      CROSS JOIN LATERAL (SELECT canonical_record_stamp(p->>'end') AS parts) e`;
    await q.query(`INSERT INTO "canonical_record"
      SELECT r.board, ${fromJson('current')}
      FROM "canonical_record_jsonb" r CROSS JOIN LATERAL (SELECT r.payload AS p) j ${parts}`);
    await q.query(`INSERT INTO "canonical_record_version"
      SELECT r.board, ${fromJson('version')}, r.superseded_by_batch
      FROM "canonical_record_version_jsonb" r CROSS JOIN LATERAL (SELECT r.payload AS p) j ${parts}`);
    await q.query(`DROP FUNCTION "canonical_record_stamp"(text)`);
    await q.query(`DROP TABLE "canonical_record_version_jsonb"`);
    // The old table's triggers go with it; its rows are all in the new one, so the tally stays as it is.
    await q.query(`DROP TABLE "canonical_record_jsonb"`);
    await q.query(
      `CREATE INDEX "canonical_record_pupil_idx" ON "canonical_record" ("board", "pupil_local_id", "date")`,
    );
    await q.query(`CREATE INDEX "canonical_record_school_date_idx" ON "canonical_record" ("board", "school_brin", "date")
      WHERE NOT "deleted"`);
    await q.query(`CREATE INDEX "canonical_record_batch_idx" ON "canonical_record" ("batch_id")`);
    for (const [index, serves] of INDEX_COMMENTS) {
      await q.query(`COMMENT ON INDEX "${index}" IS '${serves.replace(/'/g, "''")}'`);
    }
    await tallyTriggers(q, 'CREATE');
    // Statistics now, not when autovacuum comes by: the planner's first plans on the new tables are right.
    await q.query(`ANALYZE "canonical_record"`);
    await q.query(`ANALYZE "canonical_record_version"`);
    for (const table of ['canonical_record', 'canonical_record_version']) {
      await q.query(`CREATE VIEW "${table}_json" AS
        SELECT board, record_id, batch_id, version, content_hash, deleted, source_id, source_system, pupil_local_id,
          school_brin, date, ${table === 'canonical_record' ? '' : 'superseded_by_batch, '}${RECORD_JSON} AS payload
        FROM "${table}"`);
      await q.query(
        `COMMENT ON VIEW "${table}_json" IS 'The records of ${table} as the JSON of contracts §2'`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "canonical_record_version_json"`);
    await q.query(`DROP VIEW "canonical_record_json"`);
    await tallyTriggers(q, 'DROP');
    await q.query(`ALTER TABLE "canonical_record" RENAME TO "canonical_record_typed"`);
    await q.query(`ALTER TABLE "canonical_record_version" RENAME TO "canonical_record_version_typed"`);
    for (const [index] of INDEX_COMMENTS.filter(([name]) => name !== 'canonical_record_pkey')) {
      await q.query(`DROP INDEX "${index}"`);
    }
    await q.query(`ALTER INDEX "canonical_record_pkey" RENAME TO "canonical_record_typed_pkey"`);
    await q.query(
      `ALTER INDEX "canonical_record_version_pkey" RENAME TO "canonical_record_version_typed_pkey"`,
    );
    await q.query(`CREATE TABLE "canonical_record" (
      "board" text NOT NULL,
      "record_id" text NOT NULL,
      "batch_id" uuid NOT NULL REFERENCES "record_batch" ("id"),
      "source_system" text NOT NULL,
      "pupil_local_id" text NOT NULL,
      "school_brin" text,
      "date" date NOT NULL,
      "category" text NOT NULL,
      "legal_class" text NOT NULL,
      "payload" jsonb NOT NULL,
      "source_id" text,
      "version" integer NOT NULL DEFAULT 1,
      "content_hash" text NOT NULL DEFAULT '',
      "deleted" boolean NOT NULL DEFAULT false,
      CONSTRAINT "canonical_record_pkey" PRIMARY KEY ("board", "record_id")
    )`);
    await q.query(`CREATE TABLE "canonical_record_version" (
      "board" text NOT NULL,
      "record_id" text NOT NULL,
      "version" integer NOT NULL,
      "batch_id" uuid NOT NULL,
      "content_hash" text NOT NULL,
      "deleted" boolean NOT NULL,
      "payload" jsonb NOT NULL,
      "superseded_by_batch" uuid NOT NULL,
      CONSTRAINT "canonical_record_version_pkey" PRIMARY KEY ("board", "record_id", "version")
    )`);
    await q.query(`INSERT INTO "canonical_record" (board, record_id, batch_id, source_system, pupil_local_id,
        school_brin, date, category, legal_class, payload, source_id, version, content_hash, deleted)
      SELECT board, record_id, batch_id, source_system, pupil_local_id, school_brin, date,
        ${value(CATEGORIES, 'category')}, ${value(LEGAL_CLASSES, 'legal_class')}, ${RECORD_JSON}, source_id, version,
        content_hash, deleted
      FROM "canonical_record_typed"`);
    await q.query(`INSERT INTO "canonical_record_version" (board, record_id, version, batch_id, content_hash, deleted,
        payload, superseded_by_batch)
      SELECT board, record_id, version, batch_id, content_hash, deleted, ${RECORD_JSON}, superseded_by_batch
      FROM "canonical_record_version_typed"`);
    await q.query(`DROP TABLE "canonical_record_version_typed"`);
    await q.query(`DROP TABLE "canonical_record_typed"`);
    await q.query(
      `CREATE INDEX "canonical_record_pupil_idx" ON "canonical_record" ("board", "pupil_local_id")`,
    );
    await q.query(`CREATE INDEX "canonical_record_school_date_idx" ON "canonical_record" ("board", "school_brin", "date")
      WHERE NOT "deleted"`);
    await q.query(`CREATE INDEX "canonical_record_batch_idx" ON "canonical_record" ("batch_id")`);
    for (const [index, serves] of INDEX_COMMENTS) {
      await q.query(`COMMENT ON INDEX "${index}" IS '${serves.replace(/'/g, "''")}'`);
    }
    await tallyTriggers(q, 'CREATE');
  }
}

/** The record tally's statement triggers (migration 1765550000000) on `canonical_record`. */
async function tallyTriggers(q: QueryRunner, what: 'CREATE' | 'DROP'): Promise<void> {
  const triggers = [
    ['record_tally_insert', 'INSERT', 'REFERENCING NEW TABLE AS added', 'record_tally_added'],
    [
      'record_tally_update',
      'UPDATE',
      'REFERENCING OLD TABLE AS removed NEW TABLE AS added',
      'record_tally_changed',
    ],
    ['record_tally_delete', 'DELETE', 'REFERENCING OLD TABLE AS removed', 'record_tally_removed'],
  ] as const;
  for (const [name, event, referencing, fn] of triggers) {
    await q.query(
      what === 'DROP'
        ? `DROP TRIGGER "${name}" ON "canonical_record"`
        : `CREATE TRIGGER "${name}" AFTER ${event} ON "canonical_record" ${referencing}
           FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()`,
    );
  }
}
