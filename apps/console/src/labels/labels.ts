// The console's Dutch wording (ADR 0015). The API's codes stay the contract; nothing on screen is a code.
// `test/console/labels.spec.ts` checks that every code of the domain's enums and every error code the gateway
// can answer has an entry here. No imports: this file is also compiled by the gateway's test build.

export type Catalogue = Readonly<Record<string, string>>;

export const ROLE_LABELS: Catalogue = {
  school_staff: 'Schoolmedewerker',
  integration_client: 'Koppeling schooladministratie',
  privacy_officer: 'Privacyfunctionaris',
  auditor: 'Auditor',
  leerplicht_officer: 'Leerplichtambtenaar',
  doorstroompunt_officer: 'Medewerker Doorstroompunt',
  board_admin: 'Beheerder van het schoolbestuur',
};

/** Who a sending party is (ADR 0014): the board itself, one of its instellingen, or the hosting party. */
export const SENDING_PARTY_KIND_LABELS: Catalogue = {
  BESTUUR: 'Schoolbestuur',
  INSTELLING: 'Instelling van het bestuur',
  HOSTING: 'Hostingpartij (verstuurt namens de scholen)',
};

/** Where a sending party's PKIoverheid certificate stands today. */
export const CERTIFICATE_STATE_LABELS: Catalogue = {
  VALID: 'Geldig',
  EXPIRING: 'Verloopt binnenkort',
  EXPIRED: 'Verlopen',
  NOT_YET_VALID: 'Nog niet geldig',
};

/** Who at school gets a copy of DUO's mail about a report. */
export const COPY_RECIPIENT_LABELS: Catalogue = {
  CONTACTPERSOON: 'De contactpersoon',
  BEHANDELAAR: 'De behandelaar',
  BEIDE: 'De contactpersoon en de behandelaar',
};

export const REPORT_KIND_LABELS: Catalogue = {
  '16U_MINDERJARIG': '16 uur ongeoorloofd verzuim (jonger dan 18)',
  '16U_MEERDERJARIG': '16 uur ongeoorloofd verzuim (18 jaar of ouder)',
  LRV: 'Langdurig relatief verzuim',
  LUXE: 'Luxeverzuim (vakantie zonder verlof)',
  DOORSTROOMPUNT: 'Melding Doorstroompunt (18–23 jaar, zonder startkwalificatie)',
  OVERIG: 'Overig verzuim',
};

export const REPORT_STATUS_LABELS: Catalogue = {
  DRAFT: 'Concept, wacht op uw beoordeling',
  APPROVED: 'Goedgekeurd',
  QUEUED: 'Klaar voor verzending',
  SENT: 'Verzonden',
  REGISTERED: 'Geregistreerd bij DUO',
  IN_BEHANDELING: 'In behandeling bij leerplicht',
  AFGESLOTEN: 'Afgesloten',
  TER_KENNISGEVING_AANGENOMEN: 'Ter kennisgeving aangenomen',
  WITHDRAWN: 'Ingetrokken',
  REJECTED: 'Geweigerd: actie nodig',
  DISMISSED: 'Niet gemeld (afgewezen door de school)',
};

export const REPORT_ACTION_LABELS: Catalogue = {
  REPORT: 'Melding',
  CORRECTION: 'Wijziging van een verzonden melding',
  WITHDRAWAL: 'Intrekking van een verzonden melding',
};

export const RULE_LABELS: Catalogue = {
  LPW_16H_4W: '16 uur ongeoorloofd verzuim binnen 4 schoolweken',
  LPW_LRV: 'Langdurig relatief verzuim (4 weken of langer afwezig)',
  LPW_LUXE: 'Vakantie zonder verlof (luxeverzuim)',
  WEB_DOORSTROOMPUNT: 'Jongere zonder startkwalificatie (Doorstroompunt)',
  LATENESS_LADDER: 'Vaak te laat',
  MAZL: 'Veel ziekmeldingen (MAZL)',
  LEAVE_LIMIT: 'Verlofgrens bereikt',
  SUSPENSION_NOTICE: 'Schorsing: melding aan de inspectie',
  EXPULSION_NOTICE: 'Verwijdering: melding aan de inspectie',
  UNCHECKED_LESSON: 'Les zonder absentiecontrole',
  CALL_BACK: 'Terugbellen: afwezig zonder bericht',
};

export const CLOSING_REASON_LABELS: Catalogue = {
  TERUG_NAAR_SCHOOL: 'Leerling is terug naar school',
  INSCHRIJVING_BEEINDIGD_ANDERE_OPLEIDING: 'Inschrijving beëindigd: andere opleiding',
  INSCHRIJVING_BEEINDIGD_WERK: 'Inschrijving beëindigd: werk',
  INSCHRIJVING_BEEINDIGD_OVERIGE_REDENEN: 'Inschrijving beëindigd: overige redenen',
  LEERLING_OVERLEDEN: 'Leerling is overleden',
  GEEN_VERZUIM_LANGDURIG_ZIEK: 'Geen verzuim: langdurig ziek',
  GEEN_VERZUIM_LEGITIEM_AFWEZIG: 'Geen verzuim: terecht afwezig',
};

/** The officer's decision (GGM Beslissing subtypes); kept encrypted to the municipality, never shown to the school. */
export const OFFICER_DECISION_LABELS: Catalogue = {
  VRIJSTELLING: 'Vrijstelling',
  HALT_VERWIJZING: 'HALT-verwijzing',
  PROCES_VERBAAL: 'Proces-verbaal',
  DOORGELEIDING_OM: 'Doorgeleiding naar het Openbaar Ministerie',
};

export const AGE_GROUP_LABELS: Catalogue = {
  MINDERJARIG: 'Jonger dan 18',
  MEERDERJARIG: '18 jaar of ouder',
};

export const OFFICER_OPERATION_LABELS: Catalogue = {
  REGISTER: 'Nieuwe melding',
  UPDATE: 'Wijziging',
  WITHDRAW: 'Intrekking door de school',
};

/** Where a status line of a report came from, for the officer. */
export const STATUS_SOURCE_LABELS: Catalogue = {
  DUO: 'DUO (verzuimregister)',
  LEERPLICHT: 'Leerplicht (deze werkruimte)',
};

export const CLOSING_EXPLANATION_LABELS: Catalogue = {
  LEERLING_GEZIEN_DOOR_GEMEENTE: 'De leerling is door de gemeente gezien',
  ACTIE_RICHTING_LEERLING: 'De gemeente heeft actie ondernomen richting de leerling',
  GEEN_ACTIE_MEER: 'Geen verdere actie nodig',
};

export const DESTINATION_LABELS: Catalogue = {
  DUO: 'DUO (verzuimregister)',
  LEERPLICHT: 'Leerplicht van de gemeente (rechtstreeks)',
};

export const RECIPIENT_KIND_LABELS: Catalogue = {
  DUO: 'DUO',
  LEERPLICHT: 'Leerplicht van de woongemeente',
  DOORSTROOMPUNT: 'Doorstroompunt (RMC-regio)',
  JGZ: 'Jeugdgezondheidszorg',
  INSPECTIE: 'Inspectie van het Onderwijs',
  SCHOOL: 'De school (terugkoppeling van de gemeente)',
};

export const DELIVERY_STATUS_LABELS: Catalogue = {
  PENDING: 'Wacht op verzending',
  SENDING: 'Wordt verzonden',
  RETRY_WAIT: 'Mislukt, wordt opnieuw geprobeerd',
  DELIVERED: 'Afgeleverd',
  REJECTED: 'Geweigerd: actie nodig',
  DEAD: 'Niet gelukt na alle pogingen',
  SKIPPED: 'Niet rechtstreeks (DUO stuurt door)',
};

export const DELIVERY_OPERATION_LABELS: Catalogue = {
  REGISTER: 'Nieuwe melding',
  UPDATE: 'Wijziging',
  WITHDRAW: 'Intrekking',
};

export const CATEGORY_LABELS: Catalogue = {
  PRESENT: 'Aanwezig',
  SICK: 'Ziek',
  MEDICAL_VISIT: 'Bezoek arts of tandarts',
  LEAVE_IMPORTANT_CIRCUMSTANCES: 'Verlof gewichtige omstandigheden',
  LEAVE_RELIGIOUS: 'Verlof godsdienst of levensovertuiging',
  LEAVE_HOLIDAY: 'Vakantieverlof (door de directeur)',
  LEAVE_UNDER_SIX: 'Verlof jonger dan zes jaar',
  LEAVE_HEAD_GRANTED: 'Ander verlof van de directeur',
  SCHOOL_SENT_OUT: 'Uit de les gestuurd',
  SCHOOL_SUSPENSION: 'Geschorst',
  SCHOOL_EXPULSION: 'Verwijderd',
  LATE_AUTHORISED: 'Te laat, met reden',
  UNAUTHORISED: 'Ongeoorloofd afwezig',
  LATE_UNAUTHORISED: 'Te laat, zonder reden',
  OTHER: 'Overig',
  UNEXPLAINED: 'Nog niet verklaard',
  TIMETABLE_ADJUSTMENT: 'Roosterwijziging (geen verzuim)',
};

/**
 * A short text per category for the week calendar: the cell shows it next to the colour, so colour is never the
 * only carrier of the meaning (WCAG 1.4.1). The legend spells each out.
 */
export const CATEGORY_SHORT_LABELS: Catalogue = {
  PRESENT: 'A',
  SICK: 'Z',
  MEDICAL_VISIT: 'Dr',
  LEAVE_IMPORTANT_CIRCUMSTANCES: 'Vg',
  LEAVE_RELIGIOUS: 'Vr',
  LEAVE_HOLIDAY: 'Vv',
  LEAVE_UNDER_SIX: 'V6',
  LEAVE_HEAD_GRANTED: 'Vd',
  SCHOOL_SENT_OUT: 'U',
  SCHOOL_SUSPENSION: 'S',
  SCHOOL_EXPULSION: 'Vw',
  LATE_AUTHORISED: 'Tm',
  UNAUTHORISED: 'O',
  LATE_UNAUTHORISED: 'T',
  OTHER: 'Ov',
  UNEXPLAINED: '?',
  TIMETABLE_ADJUSTMENT: 'R',
};

export const WEEKDAY_LABELS: Catalogue = {
  mon: 'maandag',
  tue: 'dinsdag',
  wed: 'woensdag',
  thu: 'donderdag',
  fri: 'vrijdag',
  sat: 'zaterdag',
  sun: 'zondag',
};

export const SOURCE_SYSTEM_LABELS: Catalogue = {
  magister: 'Magister',
  'magister-mws': 'Magister Web Services',
  somtoday: 'SOMtoday',
  'somtoday-overzicht': 'SOMtoday (overzicht)',
  eduarte: 'EduArte',
  zermelo: 'Zermelo',
  oso: 'OSO-dossier',
  csv: 'CSV-bestand (ketenpoort-formaat)',
};

export const QUARANTINE_REASON_LABELS: Catalogue = {
  MALFORMED_PAYLOAD: 'Het bestand kon niet gelezen worden',
  MISSING_FIELD: 'Er ontbreekt een verplicht gegeven',
  WRONG_TYPE: 'Een gegeven heeft een verkeerde vorm',
  UNKNOWN_KIND: 'Onbekende soort registratie',
  UNMAPPED_REASON: 'De absentiecode van de school is nog niet gekoppeld aan een categorie',
  IMPOSSIBLE_TIME: 'Onmogelijke tijd (einde voor begin)',
  UNKNOWN_PUPIL: 'Onbekende leerling',
  PUPIL_OUT_OF_SCOPE: 'De leerling of school valt buiten de scholen waarvoor u gegevens mag aanleveren',
};

/** The report vocabulary of contracts §7, as the privacy decision names its fields. */
export const FIELD_LABELS: Catalogue = {
  'pupil.bsn': 'Burgerservicenummer (BSN)',
  'pupil.onderwijsnummer': 'Onderwijsnummer',
  'pupil.name': 'Naam leerling',
  'pupil.birthDate': 'Geboortedatum',
  'pupil.address': 'Adres',
  'pupil.phone': 'Telefoonnummer leerling',
  'pupil.woongemeente': 'Woongemeente',
  'parent.name': 'Naam ouder of verzorger',
  'parent.phone': 'Telefoonnummer ouder of verzorger',
  'school.brin': 'School (BRIN)',
  'school.vestiging': 'Vestiging',
  'school.locationName': 'Naam vestiging',
  'education.name': 'Naam opleiding',
  'education.leerjaar': 'Leerjaar',
  'education.niveau': 'Niveau opleiding',
  'education.leerweg': 'Leerweg',
  'education.soort': 'Soort onderwijs (VO of BVE)',
  'education.vorm': 'Vorm opleiding (voltijd of deeltijd)',
  'absence.kind': 'Soort verzuim',
  'absence.beginDate': 'Eerste verzuimdag',
  'absence.endDate': 'Laatste verzuimdag',
  'absence.hours': 'Verzuimde uren',
  'absence.clockMinutes': 'Verzuimde klokuren',
  'absence.days': 'Aantal verzuimdagen',
  'absence.perDay': 'Verzuim per dag (lesuren)',
  'absence.allLessonsMissed': 'Alle lessen gemist',
  'absence.authorisedSummary': 'Geoorloofd verzuim in dezelfde periode',
  'report.suspectedReason': 'Vermoedelijke reden',
  'report.actionTaken': 'Wat de school al deed',
  'report.municipalActionWanted': 'Gevraagde actie van de gemeente',
  'report.explanation': 'Toelichting van de school',
  'report.copyRecipient': 'Wie een kopie krijgt',
  'reporter.name': 'Naam melder',
  'reporter.role': 'Functie melder',
  'reporter.phone': 'Telefoonnummer melder',
  'reporter.email': 'E-mailadres melder',
  'registration.remarks': 'Opmerkingen uit de administratie',
  'health.detail': 'Gegevens over gezondheid',
  'feedback.status': 'Status van de melding bij de gemeente',
  'feedback.closingReason': 'Reden van afsluiting',
  'feedback.closingExplanation': 'Toelichting bij de afsluiting',
  'feedback.contact': 'Contactpersoon bij de gemeente',
  'officer.decision': 'Besluit van de leerplichtambtenaar',
  'officer.notes': 'Notities van de leerplichtambtenaar',
};

/**
 * What went wrong and what to do, per error code of the API (ADR 0004). Each sentence is for the person at the
 * screen: no code, no field path.
 */
/** The purposes of the shipped privacy policy (a board's own purposes show their code). */
export const PURPOSE_LABELS: Catalogue = {
  STATUTORY_REPORT: 'wettelijke verzuimmelding',
  LEERPLICHT_ENFORCEMENT: 'handhaving van de leerplicht',
  DOORSTROOMPUNT: 'begeleiding door het Doorstroompunt',
  MAZL_CONSULTATION: 'overleg met de jeugdarts (MAZL)',
  INSPECTIE_NOTICE: 'melding van schorsing of verwijdering',
  STATUS_FEEDBACK: 'terugkoppeling van de afhandeling aan de school',
};

/** The data categories of the policy's retention section (a board's own categories show their name). */
export const RETENTION_CATEGORY_LABELS: Catalogue = {
  absence: 'Verzuimgegevens',
  enrolment: 'Inschrijving (met versleuteld BSN)',
  reports: 'Verzuimmeldingen',
  disclosure_log: 'Verstrekkingen in het auditlog',
  disclosure_request: 'Gepseudonimiseerde verzoeken (voor simulatie)',
  signals: 'Signalen',
  report_drafts: 'Conceptmeldingen',
  quarantine: 'Gegevens in quarantaine',
  free_text: 'Vrije tekst',
  health: 'Gezondheidsgegevens',
  record_batch: 'Lege ontvangen leveringen',
};

/** What an audit log entry records (issue 15 item 4). */
export const AUDIT_KIND_LABELS: Catalogue = {
  DECISION: 'Privacybesluit',
  DISCLOSURE: 'Verstrekking',
  DELETION_RECEIPT: 'Verwijderd na bewaartermijn',
  POLICY_DRAFTED: 'Beleid: concept opgeslagen',
  POLICY_SUBMITTED: 'Beleid: ter goedkeuring aangeboden',
  POLICY_APPROVED: 'Beleid: goedgekeurd',
  POLICY_REJECTED: 'Beleid: afgewezen',
  LEGAL_HOLD_SET: 'Bewaarplicht ingesteld',
  LEGAL_HOLD_LIFTED: 'Bewaarplicht opgeheven',
  REPORT_STATUS: 'Status van een melding',
  SENDING_PARTY: 'Verzendende partij gewijzigd',
};

/** The outcome of a privacy decision. */
export const DECISION_EFFECT_LABELS: Catalogue = {
  permit: 'Gegevens verstrekt',
  deny: 'Niets verstrekt',
};

/** Why the audit chain's verification stopped at an entry. */
export const AUDIT_BREAK_REASON_LABELS: Catalogue = {
  HASH_MISMATCH: 'de inhoud van deze regel is na het vastleggen gewijzigd',
  PREVIOUS_HASH_MISMATCH: 'deze regel sluit niet aan op de regel ervoor (vervangen of van plaats verwisseld)',
  SEQUENCE_GAP: 'hier ontbreekt een regel (verwijderd)',
  TRUNCATED: 'de laatste regels van het logboek ontbreken',
  HEAD_MISMATCH: 'het einde van het logboek klopt niet met wat is vastgelegd',
  CHECKPOINT_MISMATCH: 'het beginpunt van het logboek van uw bestuur is gewijzigd',
};

/** How the law counts a registration (canonical record's legal class). */
export const LEGAL_CLASS_LABELS: Catalogue = {
  present: 'Aanwezig',
  authorised: 'Geoorloofd afwezig',
  unauthorised: 'Ongeoorloofd afwezig',
  pending: 'Nog niet beoordeeld',
  not_absence: 'Geen verzuim',
};

/** The kind of school a pupil attends. */
export const SECTOR_LABELS: Catalogue = {
  po: 'Primair onderwijs',
  sbo: 'Speciaal basisonderwijs',
  so: 'Speciaal onderwijs',
  vso: 'Voortgezet speciaal onderwijs',
  pro: 'Praktijkonderwijs',
  vo: 'Voortgezet onderwijs',
  mbo: 'Middelbaar beroepsonderwijs',
};

/** Why a field was not disclosed: the engine's own reasons; a policy rule is named by its id. */
export function withheldRuleText(rule: string): string {
  if (rule === 'default-deny') return 'geen regel staat het toe';
  if (rule === 'unknown-field') return 'onbekend gegeven, wordt nooit verstrekt';
  if (rule === 'policy-not-effective') return 'het beleid gold toen niet';
  return `regel "${rule}" van het beleid`;
}

/** The lifecycle of a privacy policy version (ADR 0022). */
export const POLICY_STATUS_LABELS: Catalogue = {
  DRAFT: 'Concept',
  SUBMITTED: 'Wacht op goedkeuring',
  APPROVED: 'Goedgekeurd',
  REJECTED: 'Afgewezen',
};

/** A problem in a policy text, by its code (the editor shows it at its line and column). */
export const POLICY_ISSUE_LABELS: Catalogue = {
  YAML_SYNTAX: 'De YAML-opmaak klopt hier niet (inspringing, dubbele punt of haakjes).',
  YAML_ALIAS_LIMIT: 'Te veel verwijzingen (aliassen) in de tekst.',
  SCHEMA_TYPE: 'Dit soort waarde hoort hier niet (bijvoorbeeld tekst waar een getal hoort).',
  SCHEMA_ENUM: 'Deze waarde is hier niet toegestaan.',
  SCHEMA_PATTERN: 'Deze waarde heeft niet de juiste vorm (een datum als 2026-08-01, een termijn als P5Y).',
  SCHEMA_REQUIRED: 'Hier ontbreekt een verplicht onderdeel.',
  SCHEMA_ADDITIONAL_PROPERTIES: 'Dit onderdeel kent het beleid niet; controleer de spelling.',
  SCHEMA_CONFLICT: 'Deze onderdelen gaan niet samen.',
  DUPLICATE_RULE_ID: 'Twee regels hebben dezelfde naam (id).',
  DUPLICATE_INVARIANT_ID: 'Twee garanties hebben dezelfde naam (id).',
  RESERVED_RULE_ID: 'Deze naam is gereserveerd.',
  EMPTY_RANGE: 'Deze leeftijds- of datumgrens sluit alles uit.',
  INVALID_DATE: 'Deze datum bestaat niet.',
  INVALID_DURATION: 'Deze termijn klopt niet (schrijf bijvoorbeeld P5Y voor 5 jaar).',
  UNKNOWN_DATA_CATEGORY: 'Deze gegevenscategorie is niet gedefinieerd.',
  UNKNOWN_FIELD: 'Dit gegeven bestaat niet in de meldingen.',
  UNKNOWN_PURPOSE: 'Dit doel is niet gedefinieerd.',
  UNKNOWN_RECIPIENT: 'Deze ontvanger is niet gedefinieerd.',
};

export const ERROR_LABELS: Catalogue = {
  STATUS_MOVE_NOT_ALLOWED: 'Deze statuswijziging is niet toegestaan.',
  CASE_NOTE_INVALID: 'De notitie kon niet worden opgeslagen. Probeer het opnieuw.',
  // Sign-in and session (ADR 0005, ADR 0016)
  TOKEN_MISSING: 'U bent niet aangemeld. Meld u aan om verder te gaan.',
  TOKEN_INVALID: 'Uw aanmelding is niet geldig. Meld u opnieuw aan.',
  TOKEN_EXPIRED: 'Uw aanmelding is verlopen. Meld u opnieuw aan.',
  TOKEN_ALGORITHM: 'Uw aanmelding is niet geldig. Meld u opnieuw aan.',
  TOKEN_AUDIENCE: 'Uw aanmelding is voor een andere toepassing bedoeld. Meld u opnieuw aan.',
  TOKEN_ISSUER: 'Uw aanmelding komt van een onbekende aanmeldvoorziening. Meld u opnieuw aan.',
  TOKEN_NOT_YET_VALID:
    'Uw aanmelding is nog niet geldig. Controleer de klok van uw computer en probeer het opnieuw.',
  TOKEN_CLAIMS: 'Uw aanmelding bevat niet de juiste rol of scholen. Neem contact op met uw beheerder.',
  TOKEN_TTL: 'De gevraagde geldigheidsduur is niet toegestaan. Kies een kortere duur.',
  TOKEN_LIFETIME:
    'Dit token is te lang geldig of mist een uitgiftetijd. Vraag een token met een kortere looptijd aan.',
  AUTH_RATE_LIMITED:
    'Er is vanaf dit adres te vaak zonder succes aangemeld. Wacht even en probeer het daarna opnieuw.',
  DEV_TOKENS_RATE_LIMITED:
    'Er zijn vanaf dit adres te veel demotokens gevraagd. Wacht even en probeer het opnieuw.',
  ROLE_UNKNOWN: 'Deze rol bestaat niet. Kies een bestaande rol.',
  ROLE_NOT_ALLOWED: 'Uw rol mag dit niet doen. Vraag een collega met de juiste rol.',
  AUTH_KEYS_UNAVAILABLE:
    'De aanmeldvoorziening is even niet bereikbaar. Probeer het over een paar minuten opnieuw.',
  SESSION_EXPIRED: 'Uw sessie is verlopen. Meld u opnieuw aan.',
  CSRF_TOKEN_INVALID:
    'Uw sessie is niet meer geldig voor deze actie. Laad de pagina opnieuw en probeer het nog eens.',
  SIGN_IN_EXPIRED: 'Het aanmelden duurde te lang. Probeer het opnieuw.',
  SIGN_IN_FAILED: 'Het aanmelden is niet gelukt. Probeer het opnieuw.',
  SIGN_IN_NOT_ALLOWED:
    'U bent aangemeld, maar u heeft geen rol in ketenpoort. Vraag uw beheerder om toegang.',
  SIGN_IN_NOT_CONFIGURED:
    'Aanmelden is op deze installatie niet ingesteld. Neem contact op met uw beheerder.',
  SIGN_IN_PROVIDER_UNAVAILABLE:
    'De aanmeldvoorziening is niet bereikbaar. Probeer het over een paar minuten opnieuw.',
  SIGN_IN_HOST:
    'Open ketenpoort via het adres dat bij het starten werd getoond (localhost) en meld u opnieuw aan.',
  // Scope
  BOARD_OUT_OF_SCOPE: 'Dit hoort bij een ander schoolbestuur. U kunt alleen uw eigen bestuur zien.',
  SCHOOL_NOT_FOUND: 'Deze school hoort niet bij uw scholen. Kies een van uw eigen scholen.',
  OVERVIEW_INVALID:
    'Deze periode kan niet getoond worden. Kies een begin voor het einde, hoogstens een half jaar.',
  ROSTER_INVALID: 'Deze leerlingenlijst kan niet verwerkt worden. Controleer de school (BRIN).',
  ROSTER_TOO_LARGE:
    'Deze leerlingenlijst is te groot. Lever hem per school aan (hoogstens 20.000 leerlingen).',
  ROSTER_MEDIA_TYPE: 'Lever de leerlingenlijst aan als XML-bestand, zoals het schoolsysteem hem geeft.',
  SEARCH_INVALID: 'Typ minstens twee letters van de naam (hoogstens acht woorden).',
  AUDIT_QUERY_INVALID:
    'Zo kan er niet gezocht worden. Controleer de datums (de einddatum ligt niet voor de begindatum) en het leerlingnummer.',
  SCHOOL_OUT_OF_SCOPE: 'U mag niet voor deze school werken. Kies een van uw eigen scholen.',
  SCHOOL_REQUIRED: 'Kies eerst de school waar dit over gaat.',
  SYSTEM_OUT_OF_SCOPE: 'Deze koppeling mag alleen gegevens van haar eigen administratiesysteem sturen.',
  // Requests in general (the HTTP filter)
  BAD_REQUEST: 'Het verzoek kon niet worden verwerkt. Controleer de invoer en probeer het opnieuw.',
  REQUEST_UNREADABLE: 'Het verzoek kon niet worden gelezen. Controleer de invoer en probeer het opnieuw.',
  REQUEST_INVALID: 'Het verzoek is niet compleet of niet juist. Controleer de invoer.',
  UNAUTHENTICATED: 'U bent niet aangemeld. Meld u aan om verder te gaan.',
  FORBIDDEN: 'U mag dit niet doen. Vraag een collega met de juiste rol.',
  NOT_FOUND: 'Dit bestaat niet (meer). Ga terug naar het overzicht.',
  METHOD_NOT_ALLOWED: 'Deze actie is hier niet mogelijk.',
  PAYLOAD_TOO_LARGE: 'Het bestand is te groot. Splits het op in kleinere bestanden (bijvoorbeeld per maand).',
  UNSUPPORTED_MEDIA_TYPE:
    'Dit soort bestand wordt niet ondersteund. Kies een export van een ondersteund systeem.',
  TOO_MANY_REQUESTS: 'Er zijn te veel pogingen gedaan. Wacht een minuut en probeer het opnieuw.',
  REQUEST_TIMEOUT: 'Het versturen duurde te lang. Controleer uw verbinding en probeer het opnieuw.',
  // Bounded input (ADR 0013)
  JSON_TOO_DEEP:
    'Het bestand is te diep genest en wordt niet gelezen. Controleer of het een echte export van het systeem is.',
  NUL_CHARACTER:
    'Het bestand bevat een ongeldig teken (NUL). Maak de export opnieuw aan en probeer het nog eens.',
  CONTENT_ENCODING_INVALID:
    'Het gecomprimeerde bestand kon niet worden uitgepakt. Verstuur het opnieuw, of ongecomprimeerd.',
  ENCODING_UNSUPPORTED:
    'Het bestand is niet in UTF-8 opgeslagen. Sla het op als UTF-8 en probeer het opnieuw.',
  UPLOAD_IDLE_TIMEOUT:
    'Het versturen van het bestand stokte en is afgebroken; er is niets opgeslagen. Probeer het opnieuw.',
  INGEST_CONCURRENCY_LIMIT:
    'Uw schoolbestuur verstuurt al te veel bestanden tegelijk. Wacht even en probeer het daarna opnieuw.',
  ITEM_TOO_LARGE:
    'Eén regel of melding in het bestand is te groot; er is niets opgeslagen. Controleer de export.',
  DOCUMENT_TOO_LARGE:
    'Dit soort bestand is te groot om in één keer te lezen. Splits het op in kleinere bestanden (bijvoorbeeld per maand).',
  HTTP_ERROR: 'Er ging iets mis. Probeer het opnieuw.',
  INTERNAL_ERROR:
    'Er ging bij ketenpoort iets mis. Probeer het later opnieuw; blijft het misgaan, meld het dan bij uw beheerder.',
  DB_DOWN: 'De database is even niet bereikbaar. Probeer het over een paar minuten opnieuw.',
  DB_UNAVAILABLE: 'De database is even niet bereikbaar. Probeer het over een paar minuten opnieuw.',
  NETWORK_ERROR: 'ketenpoort is niet bereikbaar. Controleer uw verbinding en probeer het opnieuw.',
  // Records, ingest and mappings
  BAD_BATCH: 'De aangeleverde registraties kloppen niet. Controleer het bestand.',
  BATCH_NOT_FOUND: 'Deze aanlevering bestaat niet (meer).',
  RECORD_BATCH_INVALID: 'De aangeleverde registraties kloppen niet. Controleer het bestand.',
  PAYLOAD_EMPTY: 'Het bestand is leeg. Kies een export met gegevens.',
  UNKNOWN_SYSTEM: 'Dit administratiesysteem kent ketenpoort niet. Kies een systeem uit de lijst.',
  COVERAGE_INVALID: 'De opgegeven periode klopt niet. Geef een begin- en einddatum (begin vóór einde).',
  MAPPING_INVALID: 'De koppeling van absentiecodes klopt niet. Kies voor elke code een categorie.',
  MAPPING_SYSTEM_MISMATCH: 'Deze koppeling hoort bij een ander administratiesysteem.',
  MAPPING_VERSION_EXISTS:
    'Er is zojuist al een nieuwe versie van de koppeling gepubliceerd. Laad de pagina opnieuw.',
  STORED_MAPPING_INVALID:
    'De opgeslagen koppeling van absentiecodes is beschadigd. Publiceer een nieuwe versie.',
  BELL_SCHEDULE_INVALID: 'De bel- en lestijden kloppen niet. Controleer begin- en eindtijden.',
  BELL_SCHEDULE_NOT_FOUND: 'Voor deze school zijn nog geen lestijden ingesteld.',
  CALENDAR_INVALID: 'De schoolkalender klopt niet. Controleer de data.',
  CALENDAR_NOT_FOUND: 'Voor deze school is nog geen schoolkalender ingesteld.',
  INVALID_INSTANT: 'Een tijdstip klopt niet. Controleer de invoer.',
  MOMENT_INVALID: 'Het tijdstip klopt niet. Controleer de invoer.',
  SINCE_INVALID: 'Het begintijdstip klopt niet. Controleer de invoer.',
  AS_OF_INVALID: 'De peildatum klopt niet. Geef een datum als 2026-12-05.',
  DAYS_INVALID: 'Het aantal dagen klopt niet. Geef een geheel aantal.',
  FILTER_INVALID: 'Het filter klopt niet. Pas het filter aan.',
  ANALYSIS_QUERY_INVALID: 'De gevraagde analyse klopt niet. Kies een periode en een indeling.',
  SETTINGS_INVALID: 'De instellingen kloppen niet. Controleer de invoer.',
  MESSAGE_INVALID: 'Een bericht in de verwerking klopt niet. Meld het bij uw beheerder.',
  UNSUPPORTED_MESSAGE: 'Een bericht in de verwerking wordt niet ondersteund. Meld het bij uw beheerder.',
  // Signals and reports
  REPORT_NOT_FOUND: 'Deze melding bestaat niet (meer). Ga terug naar het overzicht.',
  REPORT_NOT_DRAFT: 'Deze melding is al beoordeeld. Laad de pagina opnieuw om de huidige stand te zien.',
  CASE_NOT_FOUND: 'Dit dossier bestaat niet of hoort niet bij uw school.',
  CASE_NOTHING_PENDING: 'Dit dossier heeft geen conceptmeldingen meer. Laad de pagina opnieuw.',
  REPORT_NOT_OUT: 'Deze melding is nog niet verzonden; pas een concept aan of keur het eerst goed.',
  REASON_REQUIRED: 'Geef een reden op (ten hoogste 1000 tekens).',
  END_DATE_INVALID: 'De einddatum klopt niet. Kies een datum op of na de eerste verzuimdag.',
  STATUS_INVALID: 'Deze status is hier niet mogelijk.',
  // Delivery
  DELIVERY_NOT_FOUND: 'Deze verzending bestaat niet (meer). Ga terug naar het overzicht.',
  DELIVERY_NOT_REPLAYABLE:
    'Deze verzending kan niet opnieuw worden verstuurd; alleen geweigerde of vastgelopen verzendingen.',
  INBOX_NOT_FOUND: 'Deze melding staat niet in de inbox van uw gemeente.',
  DUO_FIELD_INVALID: 'Een gegeven voldoet niet aan wat DUO vraagt. Controleer de melding.',
  DUO_OIN_INVALID: 'Het OIN van DUO of de school is niet juist ingesteld. Neem contact op met uw beheerder.',
  DUO_REPORT_NUMBER_MISSING: 'DUO gaf geen meldingsnummer terug. De melding wordt opnieuw verstuurd.',
  DUO_UNKNOWN_REPORT_KIND: 'DUO kent deze soort melding niet. Neem contact op met uw beheerder.',
  // Sending parties (DUO certificates per board)
  SENDING_PARTY_INVALID:
    'De gegevens van de verzendende partij kloppen niet. Controleer het OIN, de scholen en het certificaat.',
  SENDING_PARTY_CERTIFICATE_INVALID:
    'Het certificaat of de sleutel kan niet worden gebruikt (verlopen, geen RSA-sleutel, of sleutel en certificaat horen niet bij elkaar). Vraag een geldig PKIoverheid-certificaat aan.',
  SENDING_PARTY_SCHOOL_TAKEN:
    'Een van deze scholen verstuurt al via een andere verzendende partij. Haal de school daar eerst weg.',
  SENDING_PARTY_NOT_FOUND: 'Deze verzendende partij bestaat niet (meer). Ga terug naar het overzicht.',
  // Privacy
  PUPIL_NOT_FOUND: 'Deze leerling is niet (meer) bekend bij ketenpoort.',
  PUPIL_INVALID: 'De leerlinggegevens kloppen niet. Controleer geboortedatum, school en sector.',
  LEGAL_HOLD_REASON: 'Geef een reden op van 3 tot 500 tekens.',
  FORECAST_MONTHS_INVALID: 'Kies een periode van 1 tot 36 maanden.',
  REGISTER_KIND_INVALID: 'Kies het register van het schoolbestuur of dat van de verwerker.',
  REGISTER_CONTROLLER_INVALID: 'Elk gegeven van het bestuur is een tekst van hoogstens 200 tekens.',
  PUPIL_AMBIGUOUS:
    'Meer dan één school heeft een leerling met dit leerlingnummer. Kies de school van de leerling.',
  PUPIL_OUT_OF_SCOPE:
    'Op uw scholen staat geen leerling met dit leerlingnummer ingeschreven. Vul de school in of schrijf de leerling eerst in.',
  PUPIL_NUMBERS_COLLIDE:
    'Twee scholen van het bestuur hebben een leerling met hetzelfde leerlingnummer. Eén gezamenlijke leerlingadministratie kan pas als de nummers uniek zijn.',
  PUPIL_ADMINISTRATION:
    'De leerling kon niet bij de juiste school worden geregistreerd. Probeer het opnieuw.',
  BOARD_SETTINGS_INVALID: 'De instellingen van het bestuur kloppen niet. Kies ja of nee.',
  DISCLOSURE_REQUEST_INVALID: 'De vraag aan de privacyregels klopt niet. Controleer de invoer.',
  POLICY_TEXT_MISSING: 'Voeg de tekst van het privacybeleid toe.',
  POLICY_INVALID: 'Het privacybeleid bevat fouten. Herstel de fouten op de genoemde regels.',
  POLICY_VERSION_NOT_FOUND: 'Deze versie van het privacybeleid bestaat niet.',
  POLICY_VERSION_EXISTS: 'Deze versie van het privacybeleid bestaat al. Kies een nieuw versienummer.',
  POLICY_NOT_DRAFT: 'Alleen een concept van het privacybeleid kan worden goedgekeurd.',
  POLICY_FOUR_EYES: 'Een tweede privacyfunctionaris moet dit beleid goedkeuren, niet de opsteller.',
  POLICY_NOT_FOUND: 'Dit privacybeleid bestaat niet bij uw bestuur.',
  POLICY_NOT_AUTHOR: 'Alleen de opsteller kan dit concept ter goedkeuring aanbieden.',
  POLICY_REJECTED: 'Dit concept is afgewezen. Schrijf een nieuwe versie met een nieuw versienummer.',
  REJECTION_REASON_MISSING: 'Geef een reden op waarom u het concept afwijst.',
  POLICY_PROOF_FAILED:
    'Dit beleid breekt een privacygarantie en kan niet worden goedgekeurd. Bekijk de genoemde garanties en voorbeelden, pas het concept aan en sla het opnieuw op.',
  INVARIANT_VIOLATED:
    'Het beleid breekt deze privacygarantie; het voorbeeld laat zien welk gegeven naar wie zou gaan.',
  POLICY_IN_FORCE_FAILS_PROOF:
    'Het geldende privacybeleid van uw bestuur breekt een privacygarantie. Er wordt niets verstrekt tot een nieuwe versie is goedgekeurd. Meld het bij uw privacyfunctionaris.',
  DEFAULT_POLICY_FAILS_PROOF:
    'Het meegeleverde privacybeleid breekt een privacygarantie. Meld het bij uw beheerder.',
  STORED_POLICY_INVALID: 'Het opgeslagen privacybeleid is beschadigd. Meld het bij uw privacyfunctionaris.',
  DEFAULT_POLICY_INVALID: 'Het meegeleverde privacybeleid is ongeldig. Meld het bij uw beheerder.',
  RETENTION_PERIOD_INVALID:
    'Een bewaartermijn in het privacybeleid klopt niet. Meld het bij uw privacyfunctionaris.',
  INVARIANT_CHECK_INCONSISTENT:
    'De controle van het privacybeleid gaf tegenstrijdige uitkomsten. Meld het bij uw beheerder.',
  // Scheduled pulls from school systems
  PULL_ABORTED: 'Het ophalen uit het administratiesysteem is afgebroken. Het wordt later opnieuw geprobeerd.',
  PULL_FORBIDDEN: 'Het administratiesysteem weigert de toegang. Controleer de koppeling in het systeem.',
  PULL_HTTP_ERROR: 'Het administratiesysteem gaf een fout. Het wordt later opnieuw geprobeerd.',
  PULL_NETWORK_ERROR: 'Het administratiesysteem is niet bereikbaar. Het wordt later opnieuw geprobeerd.',
  PULL_NOT_FOUND:
    'Het administratiesysteem kent het gevraagde niet. Controleer de instellingen van de koppeling.',
  PULL_PAGE_TOO_LARGE:
    'Het administratiesysteem stuurde te veel gegevens in één keer. Meld het bij uw beheerder.',
  PULL_PAGING_INVALID: 'Het administratiesysteem gaf onverwachte gegevens. Meld het bij uw beheerder.',
  PULL_PUPILS_INVALID: 'De leerlinglijst uit het administratiesysteem klopt niet. Meld het bij uw beheerder.',
  PULL_RATE_LIMITED: 'Het administratiesysteem vraagt even te wachten. Het wordt later opnieuw geprobeerd.',
  PULL_TIMEOUT: 'Het administratiesysteem antwoordde niet op tijd. Het wordt later opnieuw geprobeerd.',
  PULL_TOKEN_INVALID: 'De toegangssleutel voor het administratiesysteem is ongeldig. Vernieuw de koppeling.',
  PULL_TOKEN_REFUSED: 'Het administratiesysteem weigert de toegangssleutel. Vernieuw de koppeling.',
  PULL_UNAUTHORISED:
    'De koppeling met het administratiesysteem is niet (meer) gemachtigd. Vernieuw de koppeling.',
  PULL_UNAVAILABLE: 'Het administratiesysteem is even niet beschikbaar. Het wordt later opnieuw geprobeerd.',
};

/**
 * Why a delivery did not (yet) reach its destination, and what to do (the `lastError` of a delivery and the
 * history's `detail`). DUO's own reason is shown beside it.
 */
export const DELIVERY_PROBLEM_LABELS: Catalogue = {
  DUO_VALIDATION:
    'DUO keurt de melding af. Lees de reden van DUO, pas de gegevens in de administratie aan en verstuur opnieuw.',
  DUO_SOAP_FAULT_CLIENT:
    'DUO keurt het bericht af. Lees de reden van DUO; meld het bij uw beheerder als het niet aan de gegevens ligt.',
  DUO_SOAP_FAULT_SERVER: 'DUO had een storing. ketenpoort probeert het vanzelf opnieuw.',
  DUO_NOT_FOUND:
    'DUO kent deze melding niet. Controleer of de oorspronkelijke melding is geregistreerd en verstuur opnieuw.',
  DUO_TIMEOUT: 'DUO antwoordde niet op tijd. ketenpoort probeert het vanzelf opnieuw.',
  DUO_CONNECTION: 'DUO is niet bereikbaar. ketenpoort probeert het vanzelf opnieuw.',
  DUO_UNAVAILABLE: 'DUO is tijdelijk niet beschikbaar. ketenpoort probeert het vanzelf opnieuw.',
  DUO_TLS: 'De beveiligde verbinding met DUO lukt niet (certificaat). Neem contact op met uw beheerder.',
  DUO_RESPONSE_TOO_LARGE: 'DUO stuurde een onverwacht groot antwoord. Meld het bij uw beheerder.',
  DUO_UNPARSEABLE_RESPONSE:
    'Het antwoord van DUO was onleesbaar. ketenpoort probeert het opnieuw; blijft het zo, meld het bij uw beheerder.',
  DUO_FIELD_INVALID: 'Een gegeven voldoet niet aan wat DUO vraagt. Pas de gegevens aan en verstuur opnieuw.',
  DUO_OIN_INVALID: 'Het OIN van DUO of de school is niet juist ingesteld. Neem contact op met uw beheerder.',
  DUO_REPORT_NUMBER_MISSING: 'DUO gaf geen meldingsnummer terug. Verstuur de melding opnieuw.',
  DUO_UNKNOWN_REPORT_KIND: 'DUO kent deze soort melding niet. Neem contact op met uw beheerder.',
  DUO_ANSWER_NOT_RELATED:
    'Het antwoord van DUO hoorde niet bij dit bericht. ketenpoort probeert het vanzelf opnieuw.',
  DUO_ANSWER_UNSIGNED:
    'Het antwoord van DUO was niet ondertekend. ketenpoort probeert het vanzelf opnieuw; blijft het zo, meld het bij uw beheerder.',
  DUO_ANSWER_SIGNATURE_INVALID:
    'De handtekening onder het antwoord van DUO klopt niet. ketenpoort probeert het vanzelf opnieuw; blijft het zo, meld het bij uw beheerder.',
  SENDING_PARTY_MISSING:
    'Voor deze school is geen DUO-certificaat (verzendende partij) ingesteld. De melding wacht tot uw bestuursbeheerder er een toevoegt.',
  SENDING_PARTY_UNUSABLE:
    'Het DUO-certificaat van deze school kan niet worden gebruikt. De melding wacht tot uw bestuursbeheerder het vervangt.',
  SENDING_PARTY_CERTIFICATE_EXPIRED:
    'Het DUO-certificaat van deze school is verlopen. De melding wacht tot uw bestuursbeheerder een nieuw certificaat toevoegt.',
  SENDING_PARTY_CERTIFICATE_NOT_YET_VALID:
    'Het DUO-certificaat van deze school is nog niet geldig. De melding wacht tot het geldig wordt.',
  LEERPLICHT_HTTP_400:
    'De gemeente keurt de melding af. Lees de reden, pas de gegevens aan en verstuur opnieuw.',
  LEERPLICHT_HTTP_403: 'De gemeente weigert meldingen van deze school. Neem contact op met de gemeente.',
  LEERPLICHT_TIMEOUT: 'De gemeente antwoordde niet op tijd. ketenpoort probeert het vanzelf opnieuw.',
  LEERPLICHT_UNREACHABLE: 'De gemeente is niet bereikbaar. ketenpoort probeert het vanzelf opnieuw.',
  LEERPLICHT_NO_ENDPOINT: 'Voor deze gemeente is geen aansluiting ingesteld. DUO stuurt de melding door.',
  LEERPLICHT_NO_RECIPIENT_KEY: 'De sleutel van de gemeente ontbreekt. Neem contact op met uw beheerder.',
  LEERPLICHT_KEY_INVALID: 'De sleutel van de gemeente is ongeldig. Neem contact op met uw beheerder.',
  LEERPLICHT_RECIPIENT_INVALID:
    'De ontvanger bij de gemeente is niet juist ingesteld. Neem contact op met uw beheerder.',
  LEERPLICHT_INBOX_UNAVAILABLE:
    'De inbox voor de gemeente is even niet beschikbaar. ketenpoort probeert het opnieuw.',
  LEERPLICHT_PAYLOAD_INVALID: 'De melding voor de gemeente klopt niet. Meld het bij uw beheerder.',
  LEERPLICHT_JWE_INVALID: 'De versleutelde melding is onleesbaar. Meld het bij uw beheerder.',
  LEERPLICHT_DECRYPTION_FAILED: 'De melding kon niet worden ontsleuteld. Meld het bij uw beheerder.',
  LEERPLICHT_SIGNATURE_INVALID: 'De ondertekening van de melding klopt niet. Meld het bij uw beheerder.',
  LEERPLICHT_CLAIMS_INVALID: 'De melding voor de gemeente klopt niet. Meld het bij uw beheerder.',
  PRIVACY_DENIED:
    'Het privacybeleid staat deze verzending niet toe. Bespreek het met uw privacyfunctionaris.',
  POLICY_IN_FORCE_FAILS_PROOF:
    'Het geldende privacybeleid breekt een privacygarantie. De melding wacht tot uw privacyfunctionarissen een nieuwe versie hebben goedgekeurd.',
  RETENTION_EXPIRED:
    'De bewaartermijn van deze gegevens is verstreken; de melding wordt niet meer verzonden.',
  PUPIL_UNKNOWN:
    'De leerling staat niet (meer) in het leerlingregister. Vul de leerlinggegevens aan en verstuur opnieuw.',
  PUPIL_DATA_INVALID:
    'De geboortedatum van de leerling past niet bij de meldingsperiode. Controleer de leerlinggegevens.',
  REPORT_GONE: 'De melding bestaat niet meer (bewaartermijn verstreken of verwijderd).',
  CONNECTOR_NOT_CONFIGURED:
    'De verbinding met deze bestemming is nog niet ingesteld. ketenpoort probeert het opnieuw zodra die er is.',
  CONNECTOR_ERROR: 'De verbinding gaf een onverwachte fout. ketenpoort probeert het opnieuw.',
  DISPATCH_ERROR: 'Interne fout bij verzenden. ketenpoort probeert het opnieuw.',
  ORIGINAL_NOT_DELIVERED: 'De oorspronkelijke melding is nog niet afgeleverd; deze wijziging wacht daarop.',
  NOTHING_TO_DELIVER: 'De melding waar dit over gaat is nergens afgeleverd; er is niets te verzenden.',
  NO_DIRECT_CHANNEL: 'Geen rechtstreekse aansluiting met deze gemeente. DUO stuurt de melding door.',
  ROUTE_UNKNOWN: 'Er is geen route naar leerplicht gevonden. DUO stuurt de melding door.',
};

/** Where a case (dossier, ADR 0018) stands. */
export const CASE_STATE_LABELS: Catalogue = {
  OPEN: 'Loopt',
  ENDED: 'Afgesloten met einddatum',
  LAPSED: 'Geen nieuw verzuim gemeld (4 weken)',
};

/** The answer per report of an action on a whole case (after the report's name, so lower case). */
export const CASE_OUTCOME_LABELS: Catalogue = {
  APPROVED: 'goedgekeurd; gaat naar DUO',
  END_DATE_SENT: 'einddatum doorgegeven aan DUO en de gemeente',
  END_DATE_SET: 'conceptmelding; vertrekt bij goedkeuring met deze einddatum',
  SKIPPED: 'niet gewijzigd',
  FAILED: 'niet gelukt',
};

/** Why a report of a case was skipped or failed in a case action. */
export const CASE_OUTCOME_REASON_LABELS: Catalogue = {
  REPORT_NOT_OUT: 'goedgekeurd maar nog niet verzonden; geef de einddatum door zodra zij verzonden is',
  ALREADY_CORRECTED: 'had deze einddatum al',
  REPORT_NOT_DRAFT: 'was al beoordeeld',
};

/** A Dutch sentence for any error code; unknown codes get a general sentence, never the code. */
export function errorText(code: string | undefined): string {
  if (code && ERROR_LABELS[code]) return ERROR_LABELS[code];
  if (code && DELIVERY_PROBLEM_LABELS[code]) return DELIVERY_PROBLEM_LABELS[code];
  return 'Er ging iets mis. Probeer het opnieuw; blijft het misgaan, meld het dan bij uw beheerder.';
}

/** What to do about a delivery problem; HTTP codes of a destination get the sentence of their family. */
export function deliveryProblemText(code: string): string {
  const exact = DELIVERY_PROBLEM_LABELS[code];
  if (exact) return exact;
  if (/^DUO_HTTP_5\d\d$/.test(code)) return 'DUO had een storing. ketenpoort probeert het vanzelf opnieuw.';
  if (/^DUO_HTTP_\d+$/.test(code)) return 'DUO weigerde het bericht. Meld het bij uw beheerder.';
  if (/^LEERPLICHT_HTTP_5\d\d$/.test(code))
    return 'De gemeente had een storing. ketenpoort probeert het vanzelf opnieuw.';
  if (/^LEERPLICHT_HTTP_\d+$/.test(code))
    return 'De gemeente weigerde de melding. Neem contact op met de gemeente.';
  return errorText(code);
}

/** The label of a code in a catalogue; an unknown code reads as "onbekend", never as itself. */
export function label(catalogue: Catalogue, code: string | null | undefined): string {
  if (code === null || code === undefined) return '—';
  return catalogue[code] ?? 'Onbekend';
}
