import type {
  AdapterContext,
  AdapterOutput,
  Lesson,
  QuarantinedInput,
  SourceAdapter,
  SourceRecord,
} from '#domain';
import { ADAPTER_ERRORS, payloadRejected, quarantinedInput, streamJsonLists } from '#adapter-kit';
import { checkedAbsence, commonAbsence } from './magister-absence.js';
import { idText, isItem } from './magister-fields.js';
import { timetableItemToLesson } from './magister-lesson.js';

export interface MagisterAdapterOptions {
  /**
   * The Magister person id (`Persoon.Id`) the payload was fetched for (`/api/personen/{id}/…`): the
   * absence items do not name their pupil. Without it the adapter reads a top-level `PersoonId` (or
   * `persoonId`) from the payload; with neither, absence items are quarantined (`MISSING_FIELD`).
   */
  readonly personId?: string;
}

/** What the payload holds, decided once per payload from its items. */
type Content = 'absences' | 'timetable' | 'unknown';

/**
 * The Magister app API adapter: `{ Items, TotalCount, Links }` envelopes of `absenties` (absence records)
 * and `afspraken` (timetable lessons).
 */
export function createMagisterAdapter(options: MagisterAdapterOptions = {}): SourceAdapter {
  const configured = options.personId === undefined ? null : options.personId.trim() || null;
  return {
    system: 'magister',
    produces: ['records', 'lessons'],
    // A pupil from the transport (ingest `?pupil=`, CLI `--pupil`) counts as a configured person id.
    parse: (payload: string, context?: AdapterContext): AdapterOutput =>
      parseMagister(payload, configured ?? (context?.pupilId?.trim() || null)),
    // Streamed: a top-level PersoonId is known only when it comes before Items (the app API sends none; the
    // transport's pupil or a configured personId is the usual source). Absence or timetable is decided per batch.
    parseStream: (chunks, context?: AdapterContext): AsyncIterable<AdapterOutput> =>
      streamJsonLists(chunks, {
        system: 'magister',
        lists: ['Items'],
        ...(context?.itemMaxBytes === undefined ? {} : { itemMaxBytes: context.itemMaxBytes }),
        readBatch: (envelope) =>
          readRoot(envelope, envelope, configured ?? (context?.pupilId?.trim() || null)),
      }),
  };
}

/** Reads the pupil from a top-level `PersoonId`/`persoonId` of the payload (see `createMagisterAdapter`). */
export const magisterAdapter: SourceAdapter = createMagisterAdapter();

function parseMagister(payload: string, configuredPersonId: string | null): AdapterOutput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.startsWith('\uFEFF') ? payload.slice(1) : payload);
  } catch {
    return payloadRejected(
      'magister',
      ADAPTER_ERRORS.MALFORMED_PAYLOAD,
      'payload is not valid JSON',
      payload,
    );
  }
  return readRoot(parsed, payload, configuredPersonId);
}

/** The payload's top level (or a streamed batch of it); `payload` is what a rejection keeps as raw. */
function readRoot(parsed: unknown, payload: unknown, configuredPersonId: string | null): AdapterOutput {
  if (!isItem(parsed))
    return payloadRejected(
      'magister',
      ADAPTER_ERRORS.MALFORMED_PAYLOAD,
      'payload is not a JSON object',
      payload,
    );
  const items = parsed['Items'];
  if (!Array.isArray(items)) {
    return payloadRejected(
      'magister',
      ADAPTER_ERRORS.MALFORMED_PAYLOAD,
      items === undefined ? 'Items is missing' : 'Items is not an array',
      payload,
    );
  }

  const fromPayload = parsed['PersoonId'] ?? parsed['persoonId'];
  let personId = configuredPersonId;
  if (fromPayload !== undefined && fromPayload !== null) {
    const id = typeof fromPayload === 'number' && fromPayload <= 0 ? null : idText(fromPayload);
    if (id === null) {
      return payloadRejected(
        'magister',
        ADAPTER_ERRORS.WRONG_TYPE,
        'PersoonId is neither a positive integer nor a string',
        payload,
      );
    }
    if (personId !== null && personId !== id) {
      return payloadRejected(
        'magister',
        ADAPTER_ERRORS.MALFORMED_PAYLOAD,
        'PersoonId differs from the configured personId',
        payload,
      );
    }
    personId = id;
  }

  const records: SourceRecord[] = [];
  const lessons: Lesson[] = [];
  const quarantined: QuarantinedInput[] = [];
  const content = contentOf(items);
  for (const raw of items) {
    if (!isItem(raw)) {
      quarantined.push(
        quarantinedInput('magister', null, ADAPTER_ERRORS.WRONG_TYPE, 'item is not an object', raw),
      );
      continue;
    }
    if (content === 'absences') {
      // The fast path's record as it is (no result wrapper per item); anything it declines is read checked.
      const fast = commonAbsence(raw, personId);
      if (fast !== null) {
        records.push(fast);
        continue;
      }
      const record = checkedAbsence(raw, personId);
      if (record.ok) records.push(record.value);
      else
        quarantined.push(quarantinedInput('magister', idText(raw['Id']), record.reason, record.detail, raw));
    } else if (content === 'timetable') {
      const lesson = timetableItemToLesson(raw, personId);
      if (!lesson.ok)
        quarantined.push(quarantinedInput('magister', idText(raw['Id']), lesson.reason, lesson.detail, raw));
      else if (lesson.value !== 'skip') lessons.push(lesson.value);
    } else {
      quarantined.push(
        quarantinedInput(
          'magister',
          idText(raw['Id']),
          ADAPTER_ERRORS.MISSING_FIELD,
          'item has neither Verantwoordingtype (absence) nor Type or LesuurVan (timetable item)',
          raw,
        ),
      );
    }
  }
  return { records, lessons, quarantined };
}

/** Absences carry `Verantwoordingtype`; timetable items carry `Type`/`LesuurVan` and no `Verantwoordingtype`. */
function contentOf(items: readonly unknown[]): Content {
  let timetable = false;
  for (const item of items) {
    if (!isItem(item)) continue;
    if ('Verantwoordingtype' in item) return 'absences';
    if ('Type' in item || 'LesuurVan' in item) timetable = true;
  }
  return timetable ? 'timetable' : 'unknown';
}
