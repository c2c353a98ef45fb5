import { durationInWords, policyOverview } from './overview.js';
import type { LegalGround, Policy, PolicyRule } from './policy.types.js';

/**
 * The verwerkingsregister (AVG art. 30) derived from configuration (issue 15 item 7, ADR 0025): the policy in
 * force says who receives which fields for what, on what basis and how long; the configured source systems say
 * where the data comes from; the routing table names the regional bodies. Nothing here is typed in by hand, so
 * the register cannot drift from what the software does.
 */

/** How a source system delivers: pulled by ketenpoort, pushed by the school system, or uploaded as a file. */
export type SourceChannel = 'pull' | 'push' | 'file';

export interface RegisterSource {
  /** Source system id (`SOURCE_SYSTEMS` of #domain, or `pupil-registry` for `PUT /v1/pupils`). */
  readonly system: string;
  readonly channels: readonly SourceChannel[];
  /** Schools (BRIN) the system delivers for; empty when not known. */
  readonly schools: readonly string[];
}

export interface RegisterInput {
  readonly policy: Policy;
  readonly board: string;
  /** Name and contact of the controller and its FG as configured; null: not configured in ketenpoort. */
  readonly controller: {
    readonly name: string | null;
    readonly contact: string | null;
    readonly privacyOfficer: string | null;
  };
  readonly processor: { readonly name: string | null; readonly contact: string | null };
  readonly sources: readonly RegisterSource[];
  /** Regional bodies of the routing table that receive reports, per recipient kind (names). */
  readonly routing: Readonly<Record<string, readonly string[]>>;
}

/** One recipient × purpose flow as the register states it. */
export interface RegisterRecipient {
  readonly rule: string;
  readonly recipient: string;
  readonly recipientName: string;
  /** The bodies of the routing table that act as this recipient (leerplicht, Doorstroompunt). */
  readonly bodies: readonly string[];
  readonly purpose: string;
  readonly purposeDescription: string;
  readonly basis: LegalGround | '';
  readonly basisText: string;
  readonly legalBasis: string;
  /** Field paths released (at most: conditions and `withheldWhen` may narrow them). */
  readonly fields: readonly string[];
  /** The policy's data categories the fields belong to (codes) and their Dutch names. */
  readonly dataCategories: readonly string[];
  readonly dataCategoryNames: readonly string[];
  readonly conditions: readonly string[];
  readonly withheldWhen: readonly { readonly fields: readonly string[]; readonly reason: string }[];
  readonly retention: string | null;
  readonly retentionText: string | null;
}

export interface RegisterPurpose {
  readonly purpose: string;
  readonly description: string;
  readonly basis: LegalGround;
  readonly basisText: string;
  readonly legalBasis: string;
}

export interface ControllerRegister {
  readonly kind: 'controller';
  readonly policy: { readonly id: string; readonly version: string };
  readonly board: string;
  readonly controller: RegisterInput['controller'];
  /** Purposes that at least one flow uses. */
  readonly purposes: readonly RegisterPurpose[];
  readonly dataSubjects: readonly string[];
  readonly dataCategories: readonly {
    readonly category: string;
    readonly name: string;
    readonly fields: readonly string[];
  }[];
  readonly sources: readonly (RegisterSource & { readonly name: string; readonly delivers: string })[];
  readonly recipients: readonly RegisterRecipient[];
  readonly transfers: string;
  readonly retention: readonly {
    readonly category: string;
    readonly name: string;
    readonly periods: readonly string[];
  }[];
  readonly security: readonly string[];
}

export interface ProcessorRegister {
  readonly kind: 'processor';
  readonly policy: { readonly id: string; readonly version: string };
  readonly processor: RegisterInput['processor'];
  readonly controllers: readonly {
    readonly board: string;
    readonly name: string | null;
    readonly contact: string | null;
  }[];
  readonly processing: readonly string[];
  readonly transfers: string;
  readonly security: readonly string[];
}

export const BASIS_TEXT: Readonly<Record<LegalGround, string>> = {
  legal_obligation: 'wettelijke verplichting (AVG art. 6 lid 1 onder c)',
  public_task: 'taak van algemeen belang (AVG art. 6 lid 1 onder e)',
  consent: 'toestemming (AVG art. 6 lid 1 onder a)',
  vital_interest: 'vitaal belang (AVG art. 6 lid 1 onder d)',
  contract: 'overeenkomst (AVG art. 6 lid 1 onder b)',
  legitimate_interest: 'gerechtvaardigd belang (AVG art. 6 lid 1 onder f)',
};

/** Dutch names of the data categories of the shipped policy and the retention categories; others show their code. */
export const DATA_CATEGORY_NAMES: Readonly<Record<string, string>> = {
  bsn: 'Burgerservicenummer (BSN)',
  onderwijsnummer: 'Onderwijsnummer',
  identification: 'Naam en geboortedatum van de leerling',
  contact: 'Adres en telefoonnummer van de leerling',
  parent_contact: 'Naam en telefoonnummer van ouders/verzorgers',
  residence: 'Woongemeente',
  school: 'School en vestiging',
  education: 'Opleiding (naam, leerjaar, niveau, leerweg)',
  absence: 'Verzuimgegevens',
  absence_history: 'Verzuimgeschiedenis',
  authorised_absence: 'Geoorloofd verzuim per categorie',
  suspected_reason: 'Vermoedelijke reden van verzuim',
  school_action: 'Ondernomen acties van de school',
  report_explanation: 'Toelichting bij de melding',
  report_handling: 'Contactpersoon voor de melding',
  reporter: 'Gegevens van de melder',
  free_text: 'Vrije tekst',
  health: 'Gezondheidsgegevens',
  status_feedback: 'Terugkoppeling van de gemeente (status, reden, toelichting, contactpersoon)',
  officer_decision: 'Besluit en notities van de leerplichtambtenaar',
  enrolment: 'Inschrijving (met versleuteld BSN)',
  reports: 'Verzuimmeldingen',
  disclosure_log: 'Verstrekkingen in het auditlog',
  disclosure_request: 'Gepseudonimiseerde verzoeken (voor simulatie)',
  signals: 'Signalen',
  report_drafts: 'Conceptmeldingen',
  quarantine: 'Gegevens in quarantaine',
};

/** What each kind of source delivers, in Dutch (adapters' READMEs: attendance in, canonical records out). */
const SOURCE_NAMES: Readonly<Record<string, string>> = {
  magister: 'Magister',
  'magister-mws': 'Magister (MWS-export)',
  somtoday: 'SOMtoday',
  'somtoday-overzicht': 'SOMtoday (overzicht-export)',
  eduarte: 'EduArte',
  zermelo: 'Zermelo',
  oso: 'OSO-overstapdossier',
  csv: 'CSV-bestand',
  parnassys: 'ParnasSys',
  'pupil-registry': 'Leerlingadministratie (via de API van ketenpoort)',
};
const ATTENDANCE =
  'leerlingnummer, school, aanwezigheid en verzuim per les of dag met de reden; opmerkingen (vrije tekst, blijven op school)';
const SOURCE_DELIVERS: Readonly<Record<string, string>> = {
  'pupil-registry':
    'leerlingnummer, naam, geboortedatum, BSN (versleuteld opgeslagen), adres, telefoon, ouders/verzorgers, woongemeente, opleiding, in- en uitschrijfdatum',
  oso: 'leerlingnummer, school en verzuimoverzicht uit het overstapdossier',
};

export const SECURITY_MEASURES: readonly string[] = [
  'Standaard weigeren: alleen wat het goedgekeurde privacybeleid toestaat gaat naar een ontvanger; elke verstrekking wordt vooraf door de privacy-engine beoordeeld en vastgelegd.',
  'Wettelijke ondergrens die geen beleid kan uitzetten, bewezen voor elke beleidsversie; nieuw beleid alleen na goedkeuring door een tweede functionaris (vier ogen).',
  'BSN versleuteld opgeslagen (AES-256-GCM); in logboeken en het auditlog alleen pseudoniemen (HMAC-SHA256), nooit namen of BSN.',
  'Onveranderbaar auditlog met hashketen per schoolbestuur; controleerbaar met ketenpoort audit verify.',
  'Toegang op rol en schoolbestuur (aanmelden via de identiteitsprovider van het bestuur); iedere gebruiker ziet alleen het eigen bestuur, de eigen school of gemeente.',
  'Versleuteld transport (TLS); meldingen aan leerplicht versleuteld voor de ontvanger (ECDH-ES), aan DUO ondertekend met een PKIoverheid-certificaat.',
  'Automatisch verwijderen na de bewaartermijn met verwijderbewijs; een bewaarplicht (legal hold) schort verwijderen op, met reden.',
  'Begrensde invoer op elk koppelvlak; ruwe invoer die niet verwerkt kan worden gaat in quarantaine met een korte bewaartermijn.',
];

export const NO_TRANSFERS =
  'Geen doorgifte buiten de Europese Economische Ruimte: ketenpoort en alle ontvangers (DUO, gemeenten, Doorstroompunt, jeugdarts, Inspectie) verwerken in Nederland.';

/** The purpose of a flow that any purpose reaches, also one the policy does not declare. */
export const ANY_PURPOSE = '*';
const ANY_PURPOSE_TEXT = 'elk ander doel (niet in het beleid benoemd)';

const categoryName = (category: string): string => DATA_CATEGORY_NAMES[category] ?? category;

/** The policy's data categories that contain at least one of the fields; leftover paths are named as they are. */
function categoriesOf(policy: Policy, fields: readonly string[]): string[] {
  const out: string[] = [];
  const covered = new Set<string>();
  for (const [category, paths] of Object.entries(policy.dataCategories)) {
    if (paths.some((p) => fields.includes(p))) {
      out.push(category);
      paths.forEach((p) => covered.add(p));
    }
  }
  for (const f of fields) if (!covered.has(f)) out.push(f);
  return out;
}

/** A forbid without fields that applies to the recipient and purpose whatever the pupil or moment. */
function forbidsAll(rule: PolicyRule, recipient: string, purpose: string): boolean {
  const w = rule.when;
  return (
    rule.enabled &&
    rule.effect === 'forbid' &&
    rule.fields === undefined &&
    (w.recipients === undefined || (w.recipients as readonly string[]).includes(recipient)) &&
    (w.purposes === undefined || w.purposes.includes(purpose)) &&
    w.ageAtLeast === undefined &&
    w.ageBelow === undefined &&
    w.consent === undefined &&
    w.categoriesAny === undefined &&
    w.validFrom === undefined &&
    w.validUntil === undefined &&
    w.reportKinds === undefined
  );
}

/** Every recipient × purpose flow the policy permits, with the fields it may release; flows that release nothing are left out. */
export function registerRecipients(input: Pick<RegisterInput, 'policy' | 'routing'>): RegisterRecipient[] {
  const { policy } = input;
  // A permit without `purposes` applies to every purpose, also one the policy does not declare: that shows as
  // its own flow (ANY_PURPOSE) so the register names it and the FG can see it has no basis of its own.
  const withAny: Policy = {
    ...policy,
    purposes: {
      ...policy.purposes,
      [ANY_PURPOSE]: { description: ANY_PURPOSE_TEXT, basis: 'legal_obligation', legalBasis: '' },
    },
  };
  const anyUsed = policy.rules.some(
    (r) => r.enabled && r.effect === 'permit' && r.when.purposes === undefined,
  );
  return policyOverview(anyUsed ? withAny : policy)
    .flows.filter((flow) => flow.fields.length > 0)
    .filter((flow) => !policy.rules.some((r) => forbidsAll(r, flow.recipient, flow.purpose)))
    .map((flow) => {
      const def = Object.hasOwn(policy.purposes, flow.purpose) ? policy.purposes[flow.purpose] : undefined;
      const categories = categoriesOf(policy, flow.fields);
      return {
        rule: flow.rule,
        recipient: flow.recipient,
        recipientName: flow.recipientName,
        bodies: input.routing[flow.recipient] ?? [],
        purpose: flow.purpose,
        purposeDescription: flow.purposeDescription,
        basis: def?.basis ?? '',
        basisText: def ? BASIS_TEXT[def.basis] : 'geen grondslag in het beleid benoemd',
        legalBasis: def ? flow.legalBasis : '',
        fields: flow.fields,
        dataCategories: categories,
        dataCategoryNames: categories.map(categoryName),
        conditions: flow.conditions,
        withheldWhen: flow.withheldWhen,
        retention: flow.retention,
        retentionText: flow.retentionText,
      };
    });
}

function retentionOf(policy: Policy): ControllerRegister['retention'] {
  const overview = policyOverview(policy).retention.map((r) => ({
    category: r.category,
    name: categoryName(r.category),
    periods: r.periods,
  }));
  return [
    ...overview,
    { category: 'default', name: 'Overige gegevens', periods: [durationInWords(policy.retention.default)] },
  ];
}

/** Art. 30(1): the school board's entries (the board is the controller). */
export function controllerRegister(input: RegisterInput): ControllerRegister {
  const { policy } = input;
  const recipients = registerRecipients(input);
  const used = new Set(recipients.map((r) => r.purpose));
  const purposes = Object.entries(policy.purposes)
    .filter(([purpose]) => used.has(purpose))
    .map(([purpose, def]) => ({
      purpose,
      description: def.description,
      basis: def.basis,
      basisText: BASIS_TEXT[def.basis],
      legalBasis: def.legalBasis,
    }));
  const released = new Set(recipients.flatMap((r) => r.fields));
  const subjects = ['Leerlingen (leerplichtig en kwalificatieplichtig) van de scholen van het bestuur'];
  if ([...released].some((f) => f.startsWith('parent.')))
    subjects.push('Ouders en verzorgers van die leerlingen');
  if ([...released].some((f) => f.startsWith('reporter.')))
    subjects.push('Medewerkers van de school die melden');
  if (released.has('feedback.contact'))
    subjects.push('Contactpersonen van de gemeente (leerplichtambtenaren)');
  return {
    kind: 'controller',
    policy: { id: policy.id, version: policy.version },
    board: input.board,
    controller: input.controller,
    purposes,
    dataSubjects: subjects,
    dataCategories: Object.entries(policy.dataCategories).map(([category, fields]) => ({
      category,
      name: categoryName(category),
      fields,
    })),
    sources: input.sources.map((s) => ({
      ...s,
      name: SOURCE_NAMES[s.system] ?? s.system,
      delivers: SOURCE_DELIVERS[s.system] ?? ATTENDANCE,
    })),
    recipients,
    transfers: NO_TRANSFERS,
    retention: retentionOf(policy),
    security: SECURITY_MEASURES,
  };
}

/** Art. 30(2): the register of whoever hosts ketenpoort, for the boards it processes for. */
export function processorRegister(
  input: Pick<RegisterInput, 'policy' | 'processor'>,
  controllers: readonly {
    readonly board: string;
    readonly name: string | null;
    readonly contact: string | null;
  }[],
): ProcessorRegister {
  return {
    kind: 'processor',
    policy: { id: input.policy.id, version: input.policy.version },
    processor: input.processor,
    controllers,
    processing: [
      'Ontvangen en opslaan van aanwezigheids- en verzuimgegevens uit de schooladministratie',
      'Omrekenen naar klokuren en herkennen van wettelijke verzuimsituaties (signalen)',
      'Opstellen van verzuimmeldingen die de school bevestigt, en verstrekken volgens het privacybeleid',
      'Verzenden aan DUO, leerplicht, het Doorstroompunt, de jeugdarts en de Inspectie, en de status terugmelden',
      'Vastleggen van elke verstrekking in het auditlog; verwijderen na de bewaartermijn',
    ],
    transfers: NO_TRANSFERS,
    security: SECURITY_MEASURES,
  };
}

/** One CSV cell (RFC 4180); a leading =, +, - or @ is quoted with an apostrophe so spreadsheets do not run it. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

const orUnset = (value: string | null): string => value ?? 'niet vastgelegd in ketenpoort';

/** The register as CSV for a spreadsheet: one row per entry, Dutch headings (the first row). */
export function registerCsv(register: ControllerRegister | ProcessorRegister): string {
  if (register.kind === 'processor') {
    const rows: string[][] = [['Onderdeel', 'Omschrijving']];
    rows.push(['Verwerker', orUnset(register.processor.name)]);
    rows.push(['Contact verwerker', orUnset(register.processor.contact)]);
    for (const c of register.controllers)
      rows.push(['Verwerkingsverantwoordelijke', `${c.name ?? `Schoolbestuur ${c.board}`} (${c.board})`]);
    for (const p of register.processing) rows.push(['Categorie van verwerking', p]);
    rows.push(['Doorgifte buiten de EER', register.transfers]);
    for (const s of register.security) rows.push(['Beveiligingsmaatregel', s]);
    return csv(rows);
  }
  const rows: string[][] = [
    [
      'Verwerkingsverantwoordelijke',
      'Functionaris gegevensbescherming',
      'Ontvanger',
      'Instanties',
      'Doel',
      'Grondslag',
      'Wettelijke basis',
      'Categorieën persoonsgegevens',
      'Voorwaarden',
      'Bewaartermijn bij de ontvanger',
      'Doorgifte buiten de EER',
      'Beleid',
    ],
  ];
  const controller = register.controller.name ?? `Schoolbestuur ${register.board}`;
  for (const r of register.recipients) {
    rows.push([
      controller,
      orUnset(register.controller.privacyOfficer),
      r.recipientName,
      r.bodies.join('; '),
      r.purposeDescription,
      r.basisText,
      r.legalBasis,
      r.dataCategoryNames.join('; '),
      r.conditions.length === 0 ? 'altijd' : r.conditions.join('; '),
      r.retentionText ?? 'niet vastgelegd',
      'nee',
      `${register.policy.id} ${register.policy.version}`,
    ]);
  }
  return csv(rows);
}
