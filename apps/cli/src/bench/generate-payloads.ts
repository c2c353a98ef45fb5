/**
 * Realistic synthetic payloads in the school systems' own JSON shapes, for benchmarks. Deterministic (a fixed
 * seed), invented values only.
 */
const BELL: readonly [string, string][] = [
  ['08:30', '09:20'],
  ['09:20', '10:10'],
  ['10:30', '11:20'],
  ['11:20', '12:10'],
  ['12:40', '13:30'],
  ['13:30', '14:20'],
  ['14:30', '15:20'],
  ['15:20', '16:10'],
];
/** The reasons the generated marks carry, with the category a school's mapping gives each (`bench load` maps them). */
export const SOMTODAY_REASONS = [
  {
    soort: 'Absent',
    afkorting: 'ON',
    omschrijving: 'Ongeoorloofd',
    geoorloofd: false,
    category: 'UNAUTHORISED',
  },
  {
    soort: 'Absent',
    afkorting: 'MB',
    omschrijving: 'Medisch bezoek',
    geoorloofd: true,
    category: 'MEDICAL_VISIT',
  },
  {
    soort: 'Telaat',
    afkorting: 'TL',
    omschrijving: 'Te laat',
    geoorloofd: false,
    category: 'LATE_UNAUTHORISED',
  },
  {
    soort: 'Verwijderd',
    afkorting: 'VW',
    omschrijving: 'Verwijderd uit de les',
    geoorloofd: true,
    category: 'SCHOOL_SENT_OUT',
  },
] as const;

function plusMinutes(hhmm: string, minutes: number): string {
  const total = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) + minutes;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** A small linear congruential generator: the same sequence on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A school day in January–March 2026 (winter time) or May–June 2026 (summer time). */
function schoolDay(n: number): { date: string; offset: string } {
  const start = Date.UTC(2026, 0, 5);
  let day = 0;
  let d = start;
  while (day < n % 110) {
    d += 86_400_000;
    const weekday = new Date(d).getUTCDay();
    if (weekday !== 0 && weekday !== 6) day++;
  }
  const date = new Date(d).toISOString().slice(0, 10);
  return { date, offset: date >= '2026-03-29' && date < '2026-10-25' ? '+02:00' : '+01:00' };
}

export function somtodayPayload(count: number, seed: number): string {
  const next = random(seed);
  const items = [];
  for (let i = 0; i < count; i++) {
    const id = 4_400_000_000 + seed * 1_000_000 + i;
    const pupil = 2_233_400_000 + Math.floor(next() * 30_000);
    const { date, offset } = schoolDay(Math.floor(next() * 1_000));
    const hour = 1 + Math.floor(next() * 8);
    const reason = SOMTODAY_REASONS[Math.floor(next() * SOMTODAY_REASONS.length)];
    const [start, end] = BELL[hour - 1];
    items.push({
      $type: 'participatie.RAbsentieMelding',
      links: [
        {
          id,
          rel: 'self',
          type: 'participatie.RAbsentieMelding',
          href: `https://example.invalid/absentiemeldingen/${id}`,
        },
      ],
      permissions: [],
      additionalObjects: {},
      leerling: {
        links: [
          {
            id: pupil,
            rel: 'self',
            type: 'leerling.RLeerlingPrimer',
            href: `https://example.invalid/leerlingen/${pupil}`,
          },
        ],
        permissions: [],
        additionalObjects: {},
        UUID: '00000000-0000-4000-8000-000000000000',
        leerlingnummer: pupil - 2_233_000_000,
        roepnaam: 'Voornaam',
        achternaam: 'Achternaam',
      },
      absentieReden: {
        links: [
          {
            id: 8800,
            rel: 'self',
            type: 'participatie.RAbsentieRedenPrimer',
            href: 'https://example.invalid/r/8800',
          },
        ],
        permissions: [],
        additionalObjects: {},
        absentieSoort: reason.soort,
        afkorting: reason.afkorting,
        omschrijving: reason.omschrijving,
        geoorloofd: reason.geoorloofd,
      },
      datumTijdInvoer: `${date}T07:55:00.000${offset}`,
      beginDatumTijd: `${date}T${start}:00.000${offset}`,
      eindDatumTijd: `${date}T${reason.soort === 'Telaat' ? plusMinutes(start, 12) : end}:00.000${offset}`,
      beginLesuur: hour,
      eindLesuur: hour,
      afgehandeld: true,
      opmerkingen: 'vrije tekst',
    });
  }
  return JSON.stringify({ items });
}

export function magisterPayload(count: number, seed: number): string {
  const next = random(seed);
  const items = [];
  for (let i = 0; i < count; i++) {
    const { date, offset } = schoolDay(Math.floor(next() * 1_000));
    const hour = 1 + Math.floor(next() * 8);
    const [start, end] = BELL[hour - 1];
    const utcMidnight = new Date(Date.parse(`${date}T00:00:00${offset}`))
      .toISOString()
      .replace('.000Z', '.0000000Z');
    const lessonStart = new Date(Date.parse(`${date}T${start}:00${offset}`))
      .toISOString()
      .replace('.000Z', '.0000000Z');
    const lessonEnd = new Date(Date.parse(`${date}T${end}:00${offset}`))
      .toISOString()
      .replace('.000Z', '.0000000Z');
    const type = [1, 1, 2, 3][Math.floor(next() * 4)];
    const afspraakId = 7_000_000 + seed * 100_000 + i;
    items.push({
      Id: 5_000_000 + seed * 1_000_000 + i,
      Start: utcMidnight,
      Eind: utcMidnight,
      Lesuur: hour,
      Geoorloofd: type === 3,
      AfspraakId: afspraakId,
      Omschrijving: type === 3 ? 'Ziek ' : 'Spijbelen',
      Verantwoordingtype: type,
      Code: type === 3 ? 'ZK' : type === 2 ? 'TL' : 'SP',
      // The embedded afspraak with every field the app API sends (../shared/fixtures/source-systems/
      // magister-absenties.json), not only those the adapter reads: parsing them is part of the real cost.
      Afspraak: {
        Id: afspraakId,
        ExterneId: `ext-${afspraakId}`,
        Links: null,
        Start: lessonStart,
        Einde: lessonEnd,
        LesuurVan: hour,
        LesuurTotMet: hour,
        DuurtHeleDag: false,
        Omschrijving: 'ne - XYZ - h2b',
        Lokatie: 'A12',
        Status: 1,
        Type: 13,
        Subtype: 1,
        IsOnlineDeelname: false,
        WeergaveType: 0,
        Inhoud: null,
        Opmerking: null,
        InfoType: 0,
        Aantekening: null,
        Afgerond: false,
        HerhaalStatus: 0,
        Herhaling: null,
        Vakken: [{ Id: 2001, Naam: null }],
        Docenten: null,
        Lokalen: [{ Naam: 'A12' }],
        Groepen: null,
        OpdrachtId: 0,
        HeeftBijlagen: false,
        Bijlagen: null,
      },
    });
  }
  return JSON.stringify({ PersoonId: 1000 + seed, Items: items, TotalCount: count, Links: [] });
}
