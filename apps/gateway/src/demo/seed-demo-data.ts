import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import {
  DecideDisclosureUseCase,
  parseDisclosureDecisionCommand,
  IngestPayloadUseCase,
  PutPupilCommand,
  type PutPupilInput,
  PutPupilUseCase,
  PutReasonMappingUseCase,
  PutSchoolCalendarUseCase,
  parseSchoolCalendarBody,
  parseReasonMappingUpload,
  SchoolSettingsUseCase,
} from '#application';
import type { Actor } from '#domain';
import type { Infrastructure } from '#runtime';
import { DEMO_BOARD } from '../auth/index.js';
import { type BoardTerm, type DemoLayout, planDemoLayout } from './demo-layout.js';

const boardFile = (name: string): string =>
  fileURLToPath(new URL(`../../../../../config/demo/board/${name}`, import.meta.url));
const DEMO_DECISIONS = fileURLToPath(new URL('../../../../../config/demo/decisions.json', import.meta.url));

interface DemoBoard {
  readonly board: string;
  /** The period the board's files were written for; the loader moves it into today's school year. */
  readonly term: { readonly from: string; readonly to: string };
  readonly schools: readonly {
    readonly brin: string;
    readonly system: string;
    readonly calendar: string;
    /** The school's reason mapping for its system; without one the system's fallback categorises. */
    readonly reasonMapping?: string;
  }[];
}

/** What a load did (counts only). `loaded: false`: the board was there already and nothing was loaded. */
export interface DemoSeedSummary {
  readonly loaded: boolean;
  readonly schools: number;
  readonly pupils: number;
  readonly batches: number;
  readonly lessons: number;
  readonly records: number;
  readonly quarantined: number;
  readonly decisions: number;
}

/** Per source system, the board's file (Magister: folder of per-person files) for each phase of the load. */
const SOURCE_FILES: Readonly<Record<string, Partial<Record<'afspraken' | 'absences' | 'checks', string>>>> = {
  magister: { afspraken: 'afspraken', absences: 'absenties' },
  somtoday: { afspraken: 'afspraken', absences: 'absentiemeldingen', checks: 'waarnemingen' },
};

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

export interface SeedDemoOptions {
  /** The day the demo is laid out for (its school year, its last weeks); default: the infrastructure's clock. */
  readonly today?: Date;
}

/** The board's school calendar, laid out in today's school year: the same school and bell schedule, new dates. */
function laidOutCalendar(calendar: Record<string, unknown>, layout: DemoLayout): Record<string, unknown> {
  const { confirmed, ...dates } = layout.calendar;
  return {
    ...calendar,
    schoolYear: layout.schoolYear,
    note: confirmed
      ? `Synthetic demo school (holiday weeks of region midden ${layout.schoolYear}).`
      : `Synthetic demo school; holiday weeks of region midden DERIVED by rule (UNCONFIRMED, see docs/operations.md), ${layout.schoolYear}.`,
    ...dates,
  };
}

/**
 * Loads the demo school board (`config/demo/board/`, written by `scripts/generate-demo-board.mjs`) once, through
 * the same use cases as the API: per school its calendar, its settings (no auto-approval: every mandatory report
 * waits as a DRAFT for a person or the demo script to approve) and its reason mapping (99XY publishes one; 99XX
 * relies on Magister's Geoorloofd flag); the synthetic pupils; then the timetables, the absences and the teacher
 * checks in the school systems' own formats (Magister `afspraken`/`absenties` per person for 99XX, SOMtoday
 * `afspraken`/`absentiemeldingen`/`waarnemingen` for 99XY) through ingest, so the worker path normalises them and
 * the rules engine raises the signals and drafts of the named pupils (`config/demo/board/scenarios.json`).
 * Idempotent: a board that has record batches already is left alone. Logs counts only.
 */
export async function seedDemoData(
  app: INestApplication,
  infra: Infrastructure,
  options: SeedDemoOptions = {},
): Promise<DemoSeedSummary> {
  const existing: { n: string }[] = await infra.dataSource.query(
    'SELECT count(*) AS n FROM record_batch WHERE board = $1',
    [DEMO_BOARD],
  );
  if (Number(existing[0]?.n ?? 0) > 0) {
    return {
      loaded: false,
      schools: 0,
      pupils: 0,
      batches: 0,
      lessons: 0,
      records: 0,
      quarantined: 0,
      decisions: 0,
    };
  }
  const board = await readJson<DemoBoard>(boardFile('board.json'));
  const firstCalendar = await readJson<BoardTerm & Record<string, unknown>>(
    boardFile(board.schools[0]?.calendar ?? ''),
  );
  const today = options.today ?? infra.clock.now();
  const term: BoardTerm = { ...firstCalendar, from: board.term.from, to: board.term.to };
  // The board in the latest weeks before today; the pupils whose story needs the board's own holiday (luxe
  // verzuim) in the latest weeks that keep it on a holiday. They must be Magister pupils (files per person):
  // otherwise the whole board keeps its holiday.
  const rawPupils = await readJson<(PutPupilInput & { localId: string })[]>(boardFile('pupils.json'));
  const holidayStories = new Set(
    (
      await readJson<{ localId: string; expectedReportKinds: readonly string[] }[]>(
        boardFile('scenarios.json'),
      )
    )
      .filter((s) => s.expectedReportKinds.includes('LUXE'))
      .map((s) => s.localId),
  );
  const perPerson = new Set(board.schools.filter((s) => s.system === 'magister').map((s) => s.brin));
  const split = rawPupils.every((p) => !holidayStories.has(p.localId) || perPerson.has(p.school));
  const holidayLayout = planDemoLayout(today, term, { alignHolidays: true });
  const layout = split ? planDemoLayout(today, term) : holidayLayout;
  const layoutOf = (pupil: string | undefined): DemoLayout =>
    pupil !== undefined && holidayStories.has(pupil) ? holidayLayout : layout;
  /** A board file with every date moved into today's school year (for one pupil: that pupil's layout). */
  const boardText = async (name: string, pupil?: string): Promise<string> =>
    layoutOf(pupil).shiftText(await readFile(boardFile(name), 'utf8'));
  // The calendar spans both layouts: the holiday layout never ends later, so it starts no later either.
  const calendarLayout =
    holidayStories.size > 0 && holidayLayout.calendar.firstSchoolDay < layout.calendar.firstSchoolDay
      ? holidayLayout
      : layout;
  const actor: Actor = {
    role: 'school_staff',
    subject: 'demo-loader',
    board: DEMO_BOARD,
    schools: board.schools.map((s) => s.brin),
  };
  for (const school of board.schools) {
    await app
      .get(PutSchoolCalendarUseCase)
      .execute(
        actor,
        school.brin,
        parseSchoolCalendarBody(laidOutCalendar(await readJson(boardFile(school.calendar)), calendarLayout)),
      );
    await app.get(SchoolSettingsUseCase).put(actor, school.brin, { autoApproveMandatory: false });
    if (school.reasonMapping !== undefined) {
      await app.get(PutReasonMappingUseCase).execute({
        actor,
        system: school.system,
        school: school.brin,
        mapping: parseReasonMappingUpload(JSON.parse(await boardText(school.reasonMapping))),
      });
    }
  }
  // Synthetic pupils: every BSN passes the elfproef but belongs to nobody.
  const pupils = rawPupils.map(
    (p) =>
      JSON.parse(layoutOf(p.localId).shiftText(JSON.stringify(p))) as PutPupilInput & { localId: string },
  );
  for (const { localId, ...facts } of pupils) {
    await app.get(PutPupilUseCase).execute(PutPupilCommand.create(actor, localId, facts));
  }

  const ingest = app.get(IngestPayloadUseCase);
  const totals = { batches: 0, lessons: 0, records: 0, quarantined: 0 };
  const send = async (system: string, school: string, file: string, pupil?: string): Promise<void> => {
    const result = await ingest.execute({
      actor,
      system,
      school,
      payload: await boardText(file, pupil),
      ...(pupil === undefined ? {} : { pupil }),
    });
    totals.batches++;
    totals.lessons += result.lessons.stored;
    totals.records += result.recordCount;
    totals.quarantined += result.quarantinedCount;
  };
  // Timetables first: ingest measures the absences against the stored lessons; SOMtoday's teacher checks last,
  // so they link to the reports they confirm.
  for (const phase of ['afspraken', 'absences', 'checks'] as const) {
    for (const school of board.schools) {
      const file = (SOURCE_FILES[school.system] ?? {})[phase];
      if (file === undefined) continue;
      if (school.system === 'magister') {
        // The Magister app API answers per person (`/api/personen/{id}/…`): the person id travels as `pupil`.
        for (const p of pupils.filter((q) => q.school === school.brin)) {
          await send('magister', school.brin, `${school.brin}/${file}/${p.localId}.json`, p.localId);
        }
      } else {
        await send(school.system, school.brin, `${school.brin}/${file}.json`);
      }
    }
  }

  // Two disclosure decisions, so the privacy side has something to show: the audit log, what was withheld and
  // why, the access report.
  const decisions = (
    JSON.parse(await readFile(DEMO_DECISIONS, 'utf8')) as { pupil?: { localId?: string } }[]
  ).map(
    (request) => JSON.parse(layoutOf(request.pupil?.localId).shiftText(JSON.stringify(request))) as unknown,
  );
  for (const request of decisions)
    await app.get(DecideDisclosureUseCase).execute(actor, parseDisclosureDecisionCommand(request));
  const summary: DemoSeedSummary = {
    loaded: true,
    schools: board.schools.length,
    pupils: pupils.length,
    ...totals,
    decisions: decisions.length,
  };
  infra.logger.info(summary, 'demo data loaded');
  return summary;
}
