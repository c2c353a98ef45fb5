import type { PupilName, RosterFeedProblem, RosterFeedPupil, RosterReader } from '#domain';
import { ADAPTER_ERRORS, isObject } from '#adapter-kit';

/**
 * SOMtoday `GET /rest/v1/leerlingen` (`{ items: [ RLeerling… ] }`) → name, stamgroep and mentor per pupil
 * (ADR 0019). The pupil's local id is `links[0].id`, as in the absence adapter. Names: `roepnaam`, `voorvoegsel`,
 * `achternaam` (the fields of the leerling primer in the shared `absentiemeldingen` fixture). Group and mentor:
 * `additionalObjects.stamgroep.naam` and `additionalObjects.mentoren[]` (`roepnaam`/`voorletters`, `voorvoegsel`,
 * `achternaam`), as asked with `?additional=stamgroep&additional=mentoren`: UNCONFIRMED shapes, the shared domain
 * notes do not describe them. Everything else of the leerling (address, e-mail, gender, birth date) is ignored.
 */
export const somtodayRosterReader: RosterReader = {
  system: 'somtoday',
  format: 'json',
  read(payload) {
    const problem = (detail: string): { pupils: []; problems: RosterFeedProblem[] } => ({
      pupils: [],
      problems: [{ sourceId: null, reason: ADAPTER_ERRORS.MALFORMED_PAYLOAD, detail }],
    });
    let document: unknown;
    try {
      document = JSON.parse(payload);
    } catch {
      return problem('payload is not JSON');
    }
    if (!isObject(document) || !Array.isArray(document['items']))
      return problem('payload is not a SOMtoday list ({ items: [...] })');
    const pupils: RosterFeedPupil[] = [];
    const problems: RosterFeedProblem[] = [];
    document['items'].forEach((item: unknown, at: number) => {
      const where = `items[${at}]`;
      const id = isObject(item) ? idOf(item['links']) : null;
      if (!isObject(item) || id === null) {
        problems.push({
          sourceId: null,
          reason: ADAPTER_ERRORS.MISSING_FIELD,
          detail: `${where}.links[0].id is missing`,
        });
        return;
      }
      const achternaam = text(item['achternaam']);
      if (item['achternaam'] !== undefined && item['achternaam'] !== null && achternaam === null) {
        problems.push({
          sourceId: id,
          reason: ADAPTER_ERRORS.WRONG_TYPE,
          detail: `${where}.achternaam is not text`,
        });
        return;
      }
      const name: PupilName | null =
        achternaam === null
          ? null
          : {
              ...optional('roepnaam', text(item['roepnaam'])),
              ...optional('tussenvoegsel', text(item['voorvoegsel'])),
              achternaam,
            };
      const extra = isObject(item['additionalObjects']) ? item['additionalObjects'] : {};
      const stamgroep = isObject(extra['stamgroep']) ? text(extra['stamgroep']['naam']) : null;
      const mentoren = Array.isArray(extra['mentoren']) ? extra['mentoren'].filter(isObject) : [];
      const mentor = mentoren.length === 0 ? null : personName(mentoren[0]);
      pupils.push({ localId: id, entry: { name, group: stamgroep, mentor } });
    });
    return { pupils, problems };
  },
};

function idOf(links: unknown): string | null {
  if (!Array.isArray(links) || !isObject(links[0])) return null;
  const id: unknown = links[0]['id'];
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return String(id);
  return typeof id === 'string' && /^\d{1,18}$/.test(id) ? id : null;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function personName(person: Readonly<Record<string, unknown>>): string | null {
  const parts = [
    text(person['roepnaam']) ?? text(person['voorletters']),
    text(person['voorvoegsel']),
    text(person['achternaam']),
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? null : parts.join(' ');
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}
