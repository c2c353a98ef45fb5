import type { PolicyInvariant } from './policy.types.js';

/**
 * A statutory invariant: part of the floor every board policy is proven against, whatever the policy says
 * about itself. Changing the floor is a change to ketenpoort itself, reviewed like code (ADR 0012).
 */
export interface StatutoryInvariant extends PolicyInvariant {
  /** Why it holds, in Dutch: the "must never receive" column of shared/domain/privacy.md and its source. */
  readonly ground: string;
  /** false where the ground is not confirmed (the JGZ consent basis): the invariant still holds, and says so. */
  readonly groundConfirmed: boolean;
}

// Field paths, never data categories: a board policy defines its own categories, and must not be able to
// weaken the floor by redefining one (an empty `absence_history` would otherwise prove nothing).
const REASON_FIELDS = [
  'absence.authorisedSummary',
  'report.suspectedReason',
  'health.detail',
  'registration.remarks',
] as const;

/**
 * The eight statutory invariants: the seven the shipped default policy declared first, in its order, then the
 * officer's decision and notes that never flow back to the school (ADR 0026). Every policy version (shipped
 * default, start-up file, board draft, stored version) is proven against all of them.
 */
export const STATUTORY_INVARIANTS: readonly StatutoryInvariant[] = [
  {
    id: 'geen-ziekte-naar-leerplicht',
    description: 'Ziekte of medisch bezoek bereikt nooit leerplicht of het Doorstroompunt',
    never: {
      recipients: ['LEERPLICHT', 'DOORSTROOMPUNT'],
      categories: ['SICK', 'MEDICAL_VISIT'],
      fields: [...REASON_FIELDS],
    },
    ground:
      'Ziekte is geen reden voor leerplicht of het Doorstroompunt om op te treden; doorgeven is een datalek (Ingrado, "AVG en geoorloofd verzuim"; AVG art. 9).',
    groundConfirmed: true,
  },
  {
    id: 'geen-schorsing-naar-leerplicht',
    description: 'Een schorsing bereikt nooit leerplicht of het Doorstroompunt als reden',
    never: {
      recipients: ['LEERPLICHT', 'DOORSTROOMPUNT'],
      categories: ['SCHOOL_SUSPENSION'],
      fields: [...REASON_FIELDS],
    },
    ground:
      'Een schorsing is geen reden voor leerplicht of het Doorstroompunt om op te treden (Ingrado, "AVG en geoorloofd verzuim").',
    groundConfirmed: true,
  },
  {
    id: 'vrije-tekst-verlaat-school-nooit',
    description: 'Vrije opmerkingen (registration.remarks) verlaten de school nooit',
    never: { fields: ['registration.remarks'] },
    ground:
      'Vrije tekst uit de schooladministratie is geen gegeven dat een ketenpartner nodig heeft (AVG art. 5 lid 1 onder c, dataminimalisatie); leerplicht krijgt geen vrije tekst.',
    groundConfirmed: true,
  },
  {
    id: 'gezondheid-niet-naar-handhaving',
    description: 'health.detail bereikt nooit DUO, leerplicht of het Doorstroompunt',
    never: { recipients: ['DUO', 'LEERPLICHT', 'DOORSTROOMPUNT'], fields: ['health.detail'] },
    ground:
      'Gezondheidsgegevens zijn bijzondere persoonsgegevens (AVG art. 9); wie de leerplicht handhaaft krijgt geen medische gegevens.',
    groundConfirmed: true,
  },
  {
    id: 'bsn-alleen-naar-duo',
    description: 'Het BSN gaat alleen naar DUO',
    never: { recipientsExcept: ['DUO'], fields: ['pupil.bsn'] },
    ground:
      'De school gebruikt het BSN alleen voor het verkeer met DUO (Wet algemene bepalingen burgerservicenummer; Besluit Verzuimmelding); andere ketenpartners krijgen het niet van de school.',
    groundConfirmed: true,
  },
  {
    id: 'jgz-alleen-met-toestemming',
    description: 'Niets bereikt de jeugdarts (JGZ) zonder vastgelegde toestemming',
    never: { recipients: ['JGZ'], unlessConsent: 'jgz' },
    ground:
      'Het overleg met de jeugdarts (MAZL) rust op toestemming van leerling en/of ouders (AVG art. 6 lid 1 onder a en art. 9 lid 2 onder a). ONBEVESTIGD of een andere grondslag geldt; tot dat vaststaat geldt toestemming, en deze invariant blijft gelden.',
    groundConfirmed: false,
  },
  {
    id: 'inspectie-geen-verzuimhistorie',
    description: 'De Inspectie krijgt nooit de verzuimgeschiedenis',
    never: {
      recipients: ['INSPECTIE'],
      fields: [
        'absence.hours',
        'absence.clockMinutes',
        'absence.perDay',
        'absence.allLessonsMissed',
        'absence.authorisedSummary',
      ],
    },
    ground:
      'De Inspectie krijgt de melding van schorsing of verwijdering met de redenen, niet de verzuimgeschiedenis van de leerling (dataminimalisatie, AVG art. 5 lid 1 onder c).',
    groundConfirmed: true,
  },
  {
    id: 'besluit-leerplicht-niet-naar-school',
    description: 'Het besluit en de notities van de leerplichtambtenaar bereiken nooit de school',
    never: { recipients: ['SCHOOL'], fields: ['officer.decision', 'officer.notes'] },
    ground:
      'De school krijgt van de gemeente alleen de status, de reden en toelichting van afsluiting en de contactpersoon terug (Besluit Verzuimmelding, Stb. 2010, 17, bijlage). Het besluit van de leerplichtambtenaar (zoals een proces-verbaal of doorgeleiding naar het OM) is een strafrechtelijk persoonsgegeven (AVG art. 10) en blijft bij de gemeente.',
    groundConfirmed: true,
  },
];

export const STATUTORY_INVARIANT_IDS: ReadonlySet<string> = new Set(STATUTORY_INVARIANTS.map((i) => i.id));
