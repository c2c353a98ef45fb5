import { type ErrorIssue, type ReportKind, type Result, fail, ok } from '#domain';
import type {
  EffectivePeriod,
  LeerplichtChannel,
  LeerplichtEndpoint,
  LeerplichtRecipientKind,
  LeerplichtRoutingTable,
  RoutingBody,
  RoutingMunicipality,
  RoutingPublicJwk,
} from './leerplicht-routing.types.js';
import { LEERPLICHT_ROUTING_ERRORS } from './leerplicht-routing-error-codes.js';

export interface LeerplichtRouteRequest {
  /** 4-digit CBS code of the pupil's municipality of residence; absent when unknown. */
  readonly woongemeente?: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  /** Whether the pupil holds a startkwalificatie; absent = unknown, treated as "not yet". */
  readonly startkwalificatie?: boolean;
  readonly reportKind: ReportKind;
  /** The day the route is for (YYYY-MM-DD, Europe/Amsterdam): the report's date. */
  readonly date: string;
}

export interface LeerplichtRoute {
  readonly recipient: { readonly kind: LeerplichtRecipientKind; readonly id: string; readonly name: string };
  readonly channel: LeerplichtChannel;
  readonly webhookUrl?: string;
  readonly publicJwk?: RoutingPublicJwk;
  /** The steps taken, in Dutch, for the person who checks a route. */
  readonly explanation: readonly string[];
}

export const ROUTE_UNKNOWN_MUNICIPALITY = LEERPLICHT_ROUTING_ERRORS.ROUTE_UNKNOWN_MUNICIPALITY;
export const ROUTE_NO_DOORSTROOMPUNT = LEERPLICHT_ROUTING_ERRORS.ROUTE_NO_DOORSTROOMPUNT;
export const ROUTE_UNKNOWN_BODY = LEERPLICHT_ROUTING_ERRORS.ROUTE_UNKNOWN_BODY;
export const ROUTE_INVALID_REQUEST = LEERPLICHT_ROUTING_ERRORS.ROUTE_INVALID_REQUEST;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CBS_CODE = /^\d{4}$/;
/** A herindeling chain longer than this is a configuration loop. */
const MAX_MERGES = 10;

/** Whole years between birth and `date` (a 29 February birthday falls on 1 March in other years). */
export function ageInYearsOn(birthDate: string, date: string): number | null {
  const b = parseDate(birthDate);
  const d = parseDate(date);
  if (b === null || d === null) return null;
  let age = d.y - b.y;
  if (d.m < b.m || (d.m === b.m && d.d < b.d)) age -= 1;
  return age;
}

/**
 * Where a leerplicht report goes (absence-law.md §2): a pupil of `doorstroompunt.minAge`–`maxAge` (age on
 * `date`, inclusive) without startkwalificatie, or any DOORSTROOMPUNT report, to the Doorstroompunt (RMC)
 * region of the woongemeente; otherwise to the woongemeente, or to the regional body a joint arrangement
 * or alternative routing names for it. Pure: every date comes in the request.
 */
export function resolveLeerplichtRoute(
  table: LeerplichtRoutingTable,
  request: LeerplichtRouteRequest,
): Result<LeerplichtRoute> {
  const date = request.date;
  if (parseDate(date) === null) return problem('date', ROUTE_INVALID_REQUEST, 'date must be YYYY-MM-DD');
  const age = ageInYearsOn(request.birthDate, date);
  if (age === null || age < 0) {
    return problem('birthDate', ROUTE_INVALID_REQUEST, 'birthDate must be YYYY-MM-DD, not after date');
  }
  const steps: string[] = [];
  const code = request.woongemeente;
  if (code === undefined || !CBS_CODE.test(code)) {
    return problem(
      'woongemeente',
      ROUTE_UNKNOWN_MUNICIPALITY,
      'the woongemeente is missing or not a 4-digit CBS code; a person must choose the recipient',
    );
  }
  const municipality = municipalityOn(table, code, date, steps);
  if (municipality === null) {
    return problem(
      'woongemeente',
      ROUTE_UNKNOWN_MUNICIPALITY,
      `municipality ${code} is not in routing table ${table.version} on ${date}; a person must choose the recipient`,
    );
  }

  const { minAge, maxAge } = table.doorstroompunt;
  const inRmcAge = age >= minAge && age <= maxAge;
  const withoutStart = request.startkwalificatie !== true;
  if (request.reportKind === 'DOORSTROOMPUNT' || (inRmcAge && withoutStart)) {
    steps.push(
      request.reportKind === 'DOORSTROOMPUNT'
        ? 'Meldingsoort DOORSTROOMPUNT: naar het Doorstroompunt (RMC).'
        : `Leerling is ${age} jaar op ${date} (${minAge} t/m ${maxAge}) en heeft ${
            request.startkwalificatie === undefined ? 'geen bekende' : 'geen'
          } startkwalificatie: naar het Doorstroompunt (RMC).`,
    );
    const regionId = municipality.rmcRegion;
    const region = regionId === undefined ? null : bodyOn(table, regionId, date);
    if (regionId === undefined || region === null || region.kind !== 'DOORSTROOMPUNT') {
      return problem(
        'woongemeente',
        ROUTE_NO_DOORSTROOMPUNT,
        `municipality ${municipality.code} has no Doorstroompunt (RMC) region on ${date}`,
      );
    }
    steps.push(`Gemeente ${municipality.name} (${municipality.code}) valt onder RMC-regio ${region.name}.`);
    return ok(route('DOORSTROOMPUNT', region.id, region.name, region.endpoint, steps));
  }

  steps.push(
    inRmcAge
      ? `Leerling is ${age} jaar op ${date} en heeft een startkwalificatie: naar leerplicht.`
      : `Leerling is ${age} jaar op ${date}: naar leerplicht van de woongemeente.`,
  );
  const arrangement = table.arrangements.find(
    (a) => a.municipalities.includes(municipality.code) && effective(a, date),
  );
  if (arrangement !== undefined) {
    const body = bodyOn(table, arrangement.body, date);
    if (body === null || body.kind !== 'LEERPLICHT') {
      return problem(
        'woongemeente',
        ROUTE_UNKNOWN_BODY,
        `arrangement ${arrangement.id} names body ${arrangement.body}, not a leerplicht body on ${date}`,
      );
    }
    steps.push(
      `${arrangement.kind === 'GEMEENSCHAPPELIJKE_REGELING' ? 'Gemeenschappelijke regeling' : 'Alternatieve routering'} ${
        arrangement.id
      }: ${body.name} behandelt de meldingen van ${municipality.name} (${municipality.code}).`,
    );
    return ok(route('LEERPLICHT', body.id, body.name, body.endpoint, steps));
  }
  steps.push(`Gemeente ${municipality.name} (${municipality.code}) behandelt de melding zelf.`);
  return ok(route('LEERPLICHT', municipality.code, municipality.name, municipality.endpoint, steps));
}

function municipalityOn(
  table: LeerplichtRoutingTable,
  code: string,
  date: string,
  steps: string[],
): RoutingMunicipality | null {
  let current = code;
  for (let hop = 0; hop <= MAX_MERGES; hop++) {
    const entries = table.municipalities.filter((m) => m.code === current);
    const now = entries.find((m) => effective(m, date));
    if (now !== undefined) return now;
    const ended = entries
      .filter((m) => m.validTo !== undefined && m.validTo < date && m.mergedInto !== undefined)
      .sort((a, b) => (a.validTo! < b.validTo! ? 1 : -1))[0];
    if (ended === undefined) return null;
    steps.push(
      `Gemeente ${ended.name} (${ended.code}) bestaat sinds ${dayAfter(ended.validTo!)} niet meer (herindeling): verder als ${ended.mergedInto}.`,
    );
    current = ended.mergedInto!;
  }
  return null;
}

function bodyOn(table: LeerplichtRoutingTable, id: string, date: string): RoutingBody | null {
  return table.bodies.find((b) => b.id === id && effective(b, date)) ?? null;
}

function route(
  kind: LeerplichtRecipientKind,
  id: string,
  name: string,
  endpoint: LeerplichtEndpoint | undefined,
  steps: string[],
): LeerplichtRoute {
  const channel = endpoint?.channel ?? 'none';
  if (channel === 'none') {
    steps.push(`Geen direct kanaal voor ${name}: geen rechtstreekse levering (DUO stuurt de melding door).`);
    return { recipient: { kind, id, name }, channel, explanation: steps };
  }
  steps.push(
    channel === 'webhook' ? `Levering via webhook aan ${name}.` : `Levering via de inbox van ${name}.`,
  );
  return {
    recipient: { kind, id, name },
    channel,
    ...(endpoint?.webhookUrl !== undefined ? { webhookUrl: endpoint.webhookUrl } : {}),
    ...(endpoint?.publicJwk !== undefined ? { publicJwk: endpoint.publicJwk } : {}),
    explanation: steps,
  };
}

/**
 * The endpoint the table gives a recipient id (a CBS code or a body id) on `date`; null when it has none. The
 * leerplicht connector looks up where a delivery's recipient (chosen by `resolveLeerplichtRoute`) is reached.
 */
export function endpointOfRecipient(
  table: LeerplichtRoutingTable,
  id: string,
  date: string,
): LeerplichtEndpoint | null {
  const municipality = table.municipalities.find((m) => m.code === id && effective(m, date));
  if (municipality) return municipality.endpoint ?? null;
  return bodyOn(table, id, date)?.endpoint ?? null;
}

/** Every recipient id (municipality or body) with a direct channel on `date`: who may receive reports directly. */
export function directRecipients(table: LeerplichtRoutingTable, date: string): string[] {
  const withChannel = (e: { endpoint?: LeerplichtEndpoint }): boolean =>
    e.endpoint !== undefined && e.endpoint.channel !== 'none';
  return [
    ...table.municipalities.filter((m) => effective(m, date) && withChannel(m)).map((m) => m.code),
    ...table.bodies.filter((b) => effective(b, date) && withChannel(b)).map((b) => b.id),
  ];
}

/** Whether a period covers `date` (both ends inclusive; ISO dates compare as strings). */
function effective(period: EffectivePeriod, date: string): boolean {
  return (
    (period.validFrom === undefined || period.validFrom <= date) &&
    (period.validTo === undefined || date <= period.validTo)
  );
}

function parseDate(text: string): { y: number; m: number; d: number } | null {
  const match = ISO_DATE.exec(text);
  if (match === null) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return { y, m, d };
}

function dayAfter(date: string): string {
  const p = parseDate(date)!;
  return new Date(Date.UTC(p.y, p.m - 1, p.d + 1)).toISOString().slice(0, 10);
}

function problem(field: string, code: string, message: string): Result<LeerplichtRoute> {
  const issue: ErrorIssue = { field, code, message };
  return fail([issue]);
}
