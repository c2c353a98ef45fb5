import { X509Certificate, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import {
  CLOSING_EXPLANATIONS,
  CLOSING_REASONS,
  type Clock,
  type ClosingExplanation,
  type ClosingReason,
  mulberry32,
} from '#domain';
import {
  type DayEntry,
  type Incoming,
  type Mutation,
  REGISTER_PROFILE,
  Refusal,
  type Registration,
  messageIdOf,
  readIncoming,
} from './validate.js';
import { type AnswerSigning, NS, SecurityFault, answerEnvelope } from './wss.js';

/**
 * A stand-in for DUO's register (ROD) for development, demos and tests: checks every message's WS-Security
 * header and validates its body against the reconstructed schema (docs/duo-rod-message.md), issues report
 * numbers, deduplicates on wsa:MessageID, moves reports through the municipal statuses (R → B → G/K, I on
 * withdrawal; D only on reports from before August 2020), answers in signed ibg-vsv-2 business documents and
 * misbehaves on request. Plain node:http handlers; `startDuoServer` mounts them.
 */

/** statusMeldingRelatiefVerzuim codes of the register (ibg-vsv-2). */
export const REGISTER_STATUSES = {
  REGISTERED: 'R',
  IN_BEHANDELING: 'B',
  AFGESLOTEN: 'G',
  TER_KENNISGEVING_AANGENOMEN: 'K',
  WITHDRAWN: 'I',
  /** Overgedragen aan derden: may not be set since 3 August 2020; old reports carry it. */
  OVERGEDRAGEN_AAN_DERDEN: 'D',
} as const;
export type RegisterStatus = keyof typeof REGISTER_STATUSES;

/** The day from which `D` may no longer be set (absence-law.md §2.3). */
export const NO_D_FROM = '2020-08-03';

const REASON_CODES: Readonly<Record<ClosingReason, string>> = Object.fromEntries(
  CLOSING_REASONS.map((reason, at) => [reason, `0${at + 1}`]),
) as Record<ClosingReason, string>;
const EXPLANATION_CODES: Readonly<Record<ClosingExplanation, string>> = Object.fromEntries(
  CLOSING_EXPLANATIONS.map((explanation, at) => [explanation, `${at + 1}`]),
) as Record<ClosingExplanation, string>;

export interface DuoMisbehaviour {
  /** Share of SOAP requests answered HTTP 500 before anything is processed (0..1). */
  readonly http500: number;
  /** 'never': no answer at all; a number: answer after that many ms; null: off. */
  readonly timeout: 'never' | number | null;
  /** Delay in ms before every SOAP answer (0: off). */
  readonly slowMs: number;
  /** Share of SOAP requests answered with a validation DC0002Foutmelding (F101) without processing (0..1). */
  readonly validation: number;
  /** Share of requests processed (registered) whose answer is then lost (0..1). */
  readonly loseResponse: number;
  /** How an answer is lost: HTTP 500 after processing, or the connection dropped. */
  readonly loseResponseMode: 'http500' | 'drop';
  /** The status feed returns every change twice. */
  readonly duplicateDelivery: boolean;
  /** At most this many failures are injected in total (then the register behaves); null: no limit. */
  readonly maxInjections: number | null;
}

export const NO_MISBEHAVIOUR: DuoMisbehaviour = Object.freeze({
  http500: 0,
  timeout: null,
  slowMs: 0,
  validation: 0,
  loseResponse: 0,
  loseResponseMode: 'http500',
  duplicateDelivery: false,
  maxInjections: null,
});

export interface DuoRegisterOptions {
  /** DUO's OIN the register answers to (wsa:To). Default `00000001800866472000`. */
  readonly duoOin?: string;
  readonly clock?: Clock;
  /**
   * Automatic status steps: a report is In behandeling `stepMs` after registration and Afgesloten (or Ter
   * kennisgeving aangenomen) after 2 × `stepMs`, decided deterministically from its number. Undefined: only
   * through the admin API.
   */
  readonly stepMs?: number;
  /** Seed of the PRNG behind the misbehaviour rates. Default 1. */
  readonly seed?: number;
  readonly misbehaviour?: Partial<DuoMisbehaviour>;
  /** First report number (numbers count up). Default 100001. */
  readonly firstReportNumber?: number;
  /** CA certificate(s) (PEM) whose certificates may sign messages: the same trust as for TLS clients. */
  readonly trustedCa?: string;
  /** DUO's signing certificate and key: answers are signed (WS-Security) with them. Absent: unsigned answers. */
  readonly signing?: AnswerSigning;
}

export interface StatusEvent {
  readonly status: string;
  readonly at: string;
  readonly closingReason?: ClosingReason;
  readonly closingExplanation?: ClosingExplanation;
  readonly contact?: string;
}

export interface RegisteredReport {
  readonly reportNumber: string;
  readonly kenmerk: string;
  /** The sender's OIN (wsa:From), which its signing and TLS certificates carry too. */
  readonly schoolOin: string;
  /** SHA-256 fingerprint of the certificate that signed the registration. */
  readonly signerFingerprint: string;
  readonly brin: string;
  readonly kind: string;
  readonly idKind: 'BSN' | 'ONDERWIJSNUMMER';
  readonly beginDate: string;
  endDate: string | null;
  days: number | null;
  hours: number | null;
  perDay: DayEntry[];
  readonly education: Readonly<Record<string, string>>;
  readonly contact: Readonly<Record<string, string>>;
  readonly copyRecipient: string | null;
  readonly codeUitvoerderVsv: string | null;
  status: RegisterStatus;
  closingReason: ClosingReason | null;
  closingExplanation: ClosingExplanation | null;
  updates: number;
  withdrawn: boolean;
  readonly registeredAt: string;
  readonly messageId: string;
  readonly history: StatusEvent[];
}

/** One message as the register saw it: who sent it over TLS and who signed it. */
export interface ReceivedMessage {
  readonly messageId: string | null;
  readonly operation: string | null;
  readonly fromOin: string | null;
  readonly tlsOin: string | null;
  readonly signerOin: string | null;
  readonly signerFingerprint: string | null;
  /** null when processed; else the foutcode or SOAP faultcode. */
  readonly refusedWith: string | null;
  readonly at: string;
}

export interface DuoRegisterStats {
  received: number;
  registered: number;
  updates: number;
  withdrawals: number;
  statusRequests: number;
  repeatedMessages: number;
  duplicateRegistrations: number;
  rejected: number;
  /** Refused by WS-Security (a SOAP Fault): unsigned, tampered, expired, untrusted or another party's. */
  securityFaults: number;
  failuresInjected: number;
  injected: {
    http500: number;
    timeout: number;
    slow: number;
    validation: number;
    loseResponse: number;
    duplicateDelivery: number;
  };
}

export interface DuoRegister {
  /** The SOAP endpoint (POST, text/xml). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The admin API; `path` is the route below the admin prefix, e.g. `/stats`. */
  handleAdmin(req: IncomingMessage, res: ServerResponse, path: string): void;
  stats(): DuoRegisterStats;
  reports(): RegisteredReport[];
  /** Every SOAP message received, oldest first (the last 10 000). */
  messages(): ReceivedMessage[];
  misbehaviour(): DuoMisbehaviour;
  setMisbehaviour(change: Partial<DuoMisbehaviour>, replace?: boolean): DuoMisbehaviour;
  /** Moves a report on (what the municipality does); throws a Refusal for an unknown number or bad step. */
  setStatus(reportNumber: string, change: StatusChangeRequest): RegisteredReport;
  reset(): void;
  /** Ends answers held back by the `timeout` misbehaviour. */
  close(): void;
}

export interface StatusChangeRequest {
  readonly status: RegisterStatus;
  readonly closingReason?: ClosingReason;
  readonly closingExplanation?: ClosingExplanation;
  readonly contact?: string;
}

/** An answer without its envelope: wrapped (RelatesTo, timestamp, signature) each time it is sent. */
interface StoredAnswer {
  readonly status: number;
  readonly action: string;
  readonly body: Record<string, unknown>;
}

interface Change {
  readonly reportNumber: string;
  readonly kenmerk: string;
  readonly schoolOin: string;
  readonly event: StatusEvent;
  readonly atMs: number;
}

const MAX_BODY = 1024 * 1024;
const MAX_MESSAGES = 10_000;
const DEFAULT_DUO_OIN = '00000001800866472000';
const responseAction = (operation: string): string => `${REGISTER_PROFILE.contract}/${operation}Response`;

/** The business document header of an answer: DUO sends, the party that asked receives. */
function documentHead(duoOin: string, receiver: string | null, now: Date): Record<string, string> {
  return {
    'duo:identificatiecodeBedrijfsdocument': randomUUID(),
    'duo:verzendendeInstantie': duoOin,
    'duo:ontvangendeInstantie': receiver ?? duoOin,
    'duo:datumTijdBedrijfsdocument': now.toISOString(),
  };
}

function foutmeldingBody(
  duoOin: string,
  receiver: string | null,
  now: Date,
  code: string,
  reason: string,
): Record<string, unknown> {
  return {
    'duo:DC0002Foutmelding': {
      ...documentHead(duoOin, receiver, now),
      'duo:foutcode': code,
      'duo:foutomschrijving': reason,
    },
  };
}

/** A DC0002Foutmelding outside any message (a refusal at the TLS door: unrelated, unsigned). */
export function foutmeldingXml(code: string, reason: string, duoOin: string = DEFAULT_DUO_OIN): string {
  const now = new Date();
  return answerEnvelope({
    namespace: REGISTER_PROFILE.namespace,
    action: `${REGISTER_PROFILE.contract}/Foutmelding`,
    relatesTo: null,
    duoOin,
    now,
    body: foutmeldingBody(duoOin, null, now, code, reason),
  });
}
export function createDuoRegister(options: DuoRegisterOptions = {}): DuoRegister {
  const duoOin = options.duoOin ?? DEFAULT_DUO_OIN;
  const clock: Clock = options.clock ?? { now: () => new Date() };
  const trusted = [
    ...(options.trustedCa ?? '').matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g),
  ].map((m) => new X509Certificate(m[0]));
  let random = mulberry32(options.seed ?? 1);
  let config: DuoMisbehaviour = { ...NO_MISBEHAVIOUR, ...options.misbehaviour };
  let nextNumber = options.firstReportNumber ?? 100001;
  let stats = emptyStats();
  let reports = new Map<string, RegisteredReport>();
  let byKenmerk = new Map<string, string>();
  let answers = new Map<string, StoredAnswer>();
  let changes: Change[] = [];
  let received: ReceivedMessage[] = [];
  let injections = 0;
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();

  function emptyStats(): DuoRegisterStats {
    return {
      received: 0,
      registered: 0,
      updates: 0,
      withdrawals: 0,
      statusRequests: 0,
      repeatedMessages: 0,
      duplicateRegistrations: 0,
      rejected: 0,
      securityFaults: 0,
      failuresInjected: 0,
      injected: { http500: 0, timeout: 0, slow: 0, validation: 0, loseResponse: 0, duplicateDelivery: 0 },
    };
  }

  /** Whether to inject a failure with this rate now (deterministic PRNG; respects maxInjections). */
  function roll(rate: number): boolean {
    if (rate <= 0) return false;
    if (config.maxInjections !== null && injections >= config.maxInjections) return false;
    return random() < rate;
  }

  function inject(kind: keyof DuoRegisterStats['injected']): void {
    injections++;
    stats.failuresInjected++;
    stats.injected[kind]++;
  }

  function log(entry: Omit<ReceivedMessage, 'at'>): void {
    received.push({ ...entry, at: clock.now().toISOString() });
    if (received.length > MAX_MESSAGES) received = received.slice(-MAX_MESSAGES);
  }

  function recordChange(report: RegisteredReport, event: Omit<StatusEvent, 'at'>, atMs: number): void {
    // Change instants strictly increase, so "changes since the last one seen" never misses one.
    const last = changes.at(-1)?.atMs ?? Number.NEGATIVE_INFINITY;
    const at = Math.max(atMs, last + 1);
    const full: StatusEvent = { ...event, at: new Date(at).toISOString() };
    report.history.push(full);
    changes.push({
      reportNumber: report.reportNumber,
      kenmerk: report.kenmerk,
      schoolOin: report.schoolOin,
      event: full,
      atMs: at,
    });
  }

  /** Applies the automatic schedule up to now (no timers: driven by the clock on every access). */
  function advance(): void {
    if (options.stepMs === undefined || options.stepMs <= 0) return;
    const now = clock.now().getTime();
    const due: { report: RegisteredReport; atMs: number; step: 1 | 2 }[] = [];
    for (const report of reports.values()) {
      if (report.withdrawn) continue;
      const registered = Date.parse(report.registeredAt);
      if (report.status === 'REGISTERED' && now >= registered + options.stepMs)
        due.push({ report, atMs: registered + options.stepMs, step: 1 });
      if (
        (report.status === 'REGISTERED' || report.status === 'IN_BEHANDELING') &&
        now >= registered + 2 * options.stepMs
      )
        due.push({ report, atMs: registered + 2 * options.stepMs, step: 2 });
    }
    due.sort((a, b) => a.atMs - b.atMs || Number(a.report.reportNumber) - Number(b.report.reportNumber));
    for (const { report, atMs, step } of due) {
      if (step === 1) {
        report.status = 'IN_BEHANDELING';
        recordChange(report, { status: REGISTER_STATUSES.IN_BEHANDELING }, atMs);
        continue;
      }
      const n = Number(report.reportNumber);
      if (n % 4 === 3) {
        report.status = 'TER_KENNISGEVING_AANGENOMEN';
        recordChange(report, { status: REGISTER_STATUSES.TER_KENNISGEVING_AANGENOMEN }, atMs);
      } else {
        report.status = 'AFGESLOTEN';
        report.closingReason = CLOSING_REASONS[n % CLOSING_REASONS.length]!;
        report.closingExplanation = CLOSING_EXPLANATIONS[n % CLOSING_EXPLANATIONS.length]!;
        recordChange(
          report,
          {
            status: REGISTER_STATUSES.AFGESLOTEN,
            closingReason: report.closingReason,
            closingExplanation: report.closingExplanation,
            contact: 'Leerplichtambtenaar (simulator)',
          },
          atMs,
        );
      }
    }
  }

  function setStatus(reportNumber: string, change: StatusChangeRequest): RegisteredReport {
    advance();
    const report = reports.get(reportNumber);
    if (report === undefined) throw new Refusal('F110', 'unknown report number');
    if (!Object.hasOwn(REGISTER_STATUSES, change.status)) throw new Refusal('F102', 'unknown status');
    if (report.withdrawn) throw new Refusal('F111', 'the report was withdrawn');
    if (change.status === 'OVERGEDRAGEN_AAN_DERDEN' && report.registeredAt.slice(0, 10) >= NO_D_FROM)
      throw new Refusal('F102', 'overgedragen aan derden may not be set since 3 August 2020');
    if (change.closingReason !== undefined && !CLOSING_REASONS.includes(change.closingReason))
      throw new Refusal('F102', 'unknown closing reason');
    if (change.closingExplanation !== undefined && !CLOSING_EXPLANATIONS.includes(change.closingExplanation))
      throw new Refusal('F102', 'unknown closing explanation');
    if (
      change.status === 'AFGESLOTEN' &&
      (change.closingReason === undefined || change.closingExplanation === undefined)
    )
      throw new Refusal('F101', 'Afgesloten needs a closing reason and a closing explanation');
    if (
      change.status !== 'AFGESLOTEN' &&
      (change.closingReason !== undefined || change.closingExplanation !== undefined)
    )
      throw new Refusal('F102', 'only Afgesloten carries a closing reason and explanation');
    report.status = change.status;
    report.withdrawn = change.status === 'WITHDRAWN';
    report.closingReason = change.closingReason ?? null;
    report.closingExplanation = change.closingExplanation ?? null;
    recordChange(
      report,
      {
        status: REGISTER_STATUSES[change.status],
        ...(change.closingReason ? { closingReason: change.closingReason } : {}),
        ...(change.closingExplanation ? { closingExplanation: change.closingExplanation } : {}),
        ...(change.contact ? { contact: change.contact } : {}),
      },
      clock.now().getTime(),
    );
    return report;
  }

  const identification = (reportNumber: string) => ({
    'duo:nummerMeldingRelatiefVerzuim': reportNumber,
  });

  function register(body: Registration, incoming: Incoming): StoredAnswer {
    const schoolOin = incoming.header.fromOin;
    const key = `${schoolOin}|${body.kenmerk}`;
    if (byKenmerk.has(key)) stats.duplicateRegistrations++;
    const reportNumber = String(nextNumber++);
    const now = clock.now();
    const report: RegisteredReport = {
      reportNumber,
      kenmerk: body.kenmerk,
      schoolOin,
      signerFingerprint: incoming.signer.fingerprint,
      brin: body.brin,
      kind: body.kind,
      idKind: body.idKind,
      beginDate: body.beginDate,
      endDate: body.endDate,
      days: body.days,
      hours: body.hours,
      perDay: body.perDay,
      education: body.education,
      contact: body.contact,
      copyRecipient: body.copyRecipient,
      codeUitvoerderVsv: body.codeUitvoerderVsv,
      status: 'REGISTERED',
      closingReason: null,
      closingExplanation: null,
      updates: 0,
      withdrawn: false,
      registeredAt: now.toISOString(),
      messageId: incoming.header.messageId,
      history: [],
    };
    reports.set(reportNumber, report);
    byKenmerk.set(key, reportNumber);
    stats.registered++;
    recordChange(report, { status: REGISTER_STATUSES.REGISTERED }, now.getTime());
    return {
      status: 200,
      action: responseAction('MeldenRelatiefVerzuim'),
      body: {
        'duo:MeldenRelatiefVerzuimResponse': {
          'duo:DC0018LeveringNummerMeldingRelatiefVerzuim': {
            ...documentHead(duoOin, schoolOin, now),
            'duo:identificatieMeldingRelatiefVerzuim': identification(reportNumber),
            'duo:kenmerkMelding': body.kenmerk,
          },
        },
      },
    };
  }

  function confirmation(report: RegisteredReport): StoredAnswer {
    return {
      status: 200,
      action: responseAction('MutatieMeldingRelatiefVerzuim'),
      body: {
        'duo:MutatieMeldingRelatiefVerzuimResponse': {
          'duo:DC0001Bevestiging': {
            ...documentHead(duoOin, report.schoolOin, clock.now()),
            'duo:identificatieMeldingRelatiefVerzuim': identification(report.reportNumber),
            'duo:kenmerkMelding': report.kenmerk,
          },
        },
      },
    };
  }

  function mutate(body: Mutation, schoolOin: string): StoredAnswer {
    const report = reports.get(body.reportNumber);
    if (report === undefined) throw new Refusal('F110', 'unknown nummerMeldingRelatiefVerzuim');
    if (report.schoolOin !== schoolOin) throw new Refusal('F200', 'the report belongs to another sender');
    if (report.withdrawn) throw new Refusal('F111', 'the report was withdrawn');
    if (body.mutation === 'INTREKKEN') {
      if (report.status === 'AFGESLOTEN' || report.status === 'TER_KENNISGEVING_AANGENOMEN')
        throw new Refusal('F111', 'a closed report cannot be withdrawn');
      report.status = 'WITHDRAWN';
      report.withdrawn = true;
      stats.withdrawals++;
      recordChange(report, { status: REGISTER_STATUSES.WITHDRAWN }, clock.now().getTime());
      return confirmation(report);
    }
    const endDate = body.endDate ?? report.endDate;
    if (endDate !== null && endDate < report.beginDate)
      throw new Refusal('F103', 'eindverzuim lies before beginverzuim');
    if (body.perDay?.some((day) => day.date < report.beginDate || (endDate !== null && day.date > endDate)))
      throw new Refusal('F103', 'a verzuimdag lies outside beginverzuim..eindverzuim');
    report.endDate = endDate;
    if (body.days !== null) report.days = body.days;
    if (body.hours !== null) report.hours = body.hours;
    if (body.perDay !== null) report.perDay = body.perDay;
    report.updates++;
    stats.updates++;
    return confirmation(report);
  }

  function statusFeed(since: Date, schoolOin: string): StoredAnswer {
    stats.statusRequests++;
    const sinceMs = since.getTime();
    const mine = changes.filter((change) => change.atMs > sinceMs && change.schoolOin === schoolOin);
    const until = new Date(mine.length > 0 ? mine.at(-1)!.atMs : sinceMs).toISOString();
    let listed = mine;
    if (config.duplicateDelivery && mine.length > 0) {
      inject('duplicateDelivery');
      listed = mine.flatMap((change) => [change, change]);
    }
    const gevallen = listed.map((change) => ({
      'duo:meldingRelatiefVerzuim': {
        'duo:identificatieMeldingRelatiefVerzuim': identification(change.reportNumber),
        'duo:kenmerkMelding': change.kenmerk,
        'duo:statusMeldingRelatiefVerzuim': change.event.status,
        ...(change.event.closingReason
          ? { 'duo:redenMeldingAfgesloten': REASON_CODES[change.event.closingReason] }
          : {}),
        ...(change.event.closingExplanation
          ? { 'duo:toelichtingAfsluiting': EXPLANATION_CODES[change.event.closingExplanation] }
          : {}),
        ...(change.event.contact ? { 'duo:contactpersoonGemeente': change.event.contact } : {}),
      },
      'duo:procesverloop': {
        'duo:datumLaatsteMutatie': change.event.at.slice(0, 10),
        'duo:tijdstipLaatsteMutatie': change.event.at.slice(11, 23),
      },
    }));
    return {
      status: 200,
      action: responseAction('AanvraagGewijzigdeMeldingRelatiefVerzuim'),
      body: {
        'duo:AanvraagGewijzigdeMeldingRelatiefVerzuimResponse': {
          'duo:DC0011LeveringMeldingRelatiefVerzuim': {
            ...documentHead(duoOin, schoolOin, clock.now()),
            'duo:selectieperiode': {
              'duo:datumBeginSelectieperiode': until.slice(0, 10),
              'duo:tijdstipBeginSelectieperiode': until.slice(11, 23),
            },
            ...(gevallen.length > 0 ? { 'duo:verzuimgeval': gevallen } : {}),
          },
        },
      },
    };
  }

  function certificateOin(req: IncomingMessage): string | null {
    const socket = req.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate !== 'function') return null;
    // null once the client went away (e.g. a dispatcher killed mid-send) while its request was being read.
    const peer = socket.getPeerCertificate() as { subject?: unknown } | null;
    const subject = peer?.subject as Record<string, unknown> | undefined;
    const serial = subject?.['serialNumber'];
    return typeof serial === 'string' ? serial : null;
  }

  function foutmelding(code: string, reason: string, receiver: string | null): StoredAnswer {
    return {
      status: 200,
      action: `${REGISTER_PROFILE.contract}/Foutmelding`,
      body: foutmeldingBody(duoOin, receiver, clock.now(), code, reason),
    };
  }

  /** Processes one checked message; Refusals become Foutmeldingen. */
  function process(incoming: Incoming): StoredAnswer {
    const { header, body } = incoming;
    if (body.operation === 'MeldenRelatiefVerzuim') return register(body, incoming);
    if (body.operation === 'MutatieMeldingRelatiefVerzuim') return mutate(body, header.fromOin);
    return statusFeed(body.since, header.fromOin);
  }

  /** The stored answer in a fresh envelope: RelatesTo the request, a new timestamp and DUO's signature. */
  function send(res: ServerResponse, answer: StoredAnswer, relatesTo: string | null): void {
    if (res.writableEnded || res.destroyed) return;
    const xml = answerEnvelope({
      namespace: REGISTER_PROFILE.namespace,
      action: answer.action,
      relatesTo,
      duoOin,
      now: clock.now(),
      body: answer.body,
      ...(options.signing ? { signing: options.signing } : {}),
    });
    res.writeHead(answer.status, { 'Content-Type': 'text/xml; charset=utf-8' });
    res.end(xml);
  }

  function later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  }

  function handleMessage(text: string, req: IncomingMessage, res: ServerResponse): void {
    advance();
    stats.received++;
    const tlsOin = certificateOin(req);
    if (roll(config.http500)) {
      inject('http500');
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal Server Error');
      return;
    }
    const relatesTo = messageIdOf(text);
    if (roll(config.validation)) {
      inject('validation');
      stats.rejected++;
      send(res, foutmelding('F101', 'injected validation failure (simulator)', null), relatesTo);
      return;
    }
    let incoming: Incoming;
    try {
      incoming = readIncoming(text, { duoOin, now: clock.now(), trusted, tlsOin });
    } catch (error) {
      if (error instanceof SecurityFault) {
        stats.securityFaults++;
        log({
          messageId: relatesTo,
          operation: null,
          fromOin: null,
          tlsOin,
          signerOin: null,
          signerFingerprint: null,
          refusedWith: error.faultcode,
        });
        send(
          res,
          {
            status: 500,
            action: 'http://www.w3.org/2005/08/addressing/soap/fault',
            body: {
              'soapenv:Fault': {
                '@_xmlns:wsse': NS.wsse,
                faultcode: error.faultcode,
                faultstring: error.reason,
              },
            },
          },
          relatesTo,
        );
        return;
      }
      if (!(error instanceof Refusal)) throw error;
      stats.rejected++;
      log({
        messageId: relatesTo,
        operation: null,
        fromOin: null,
        tlsOin,
        signerOin: null,
        signerFingerprint: null,
        refusedWith: error.foutcode,
      });
      send(res, foutmelding(error.foutcode, error.reason, null), relatesTo);
      return;
    }
    const { messageId } = incoming.header;
    const statusRequest = incoming.body.operation === 'AanvraagGewijzigdeMeldingRelatiefVerzuim';
    const stored = statusRequest ? undefined : answers.get(messageId);
    let answer: StoredAnswer;
    let refusedWith: string | null = null;
    if (stored !== undefined) {
      stats.repeatedMessages++;
      answer = stored;
    } else {
      try {
        answer = process(incoming);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        stats.rejected++;
        refusedWith = error.foutcode;
        answer = foutmelding(error.foutcode, error.reason, incoming.header.fromOin);
      }
      if (!statusRequest) answers.set(messageId, answer);
    }
    log({
      messageId,
      operation: incoming.body.operation,
      fromOin: incoming.header.fromOin,
      tlsOin,
      signerOin: incoming.signer.oin,
      signerFingerprint: incoming.signer.fingerprint,
      refusedWith,
    });
    if (stored === undefined && !statusRequest && roll(config.loseResponse)) {
      inject('loseResponse');
      if (config.loseResponseMode === 'drop') {
        res.socket?.destroy();
        return;
      }
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal Server Error');
      return;
    }
    send(res, answer, messageId);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('POST a SOAP message');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) {
        stats.received++;
        stats.rejected++;
        send(res, foutmelding('F100', 'message larger than 1 MiB', null), null);
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const run = () => handleMessage(text, req, res);
      const timeout = config.timeout;
      if (timeout !== null && (config.maxInjections === null || injections < config.maxInjections)) {
        inject('timeout');
        if (timeout === 'never') {
          held.add(res);
          res.on('close', () => held.delete(res));
          return;
        }
        later(timeout, run);
        return;
      }
      if (config.slowMs > 0) {
        inject('slow');
        later(config.slowMs, run);
        return;
      }
      run();
    });
  }

  function json(res: ServerResponse, status: number, value: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(value));
  }

  function readJson(req: IncomingMessage, then: (value: unknown) => void, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      let value: unknown = {};
      try {
        if (text !== '') value = JSON.parse(text);
      } catch {
        json(res, 400, { code: 'ADMIN_BODY_INVALID', message: 'body is not JSON' });
        return;
      }
      try {
        then(value);
      } catch (error) {
        if (error instanceof Refusal)
          json(res, error.foutcode === 'F110' ? 404 : 400, {
            code: `ADMIN_${error.foutcode}`,
            message: error.reason,
          });
        else throw error;
      }
    });
  }

  function setMisbehaviour(change: Partial<DuoMisbehaviour>, replace = false): DuoMisbehaviour {
    const next = { ...(replace ? NO_MISBEHAVIOUR : config), ...change };
    checkMisbehaviour(next);
    config = next;
    injections = 0;
    return config;
  }

  function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string): void {
    advance();
    const route = path.replace(/\/+$/, '') || '/';
    const statusRoute = /^\/reports\/([^/]+)\/status$/.exec(route);
    const reportRoute = /^\/reports\/([^/]+)$/.exec(route);
    if (req.method === 'GET' && route === '/stats') return json(res, 200, stats);
    if (req.method === 'GET' && route === '/reports') return json(res, 200, [...reports.values()]);
    if (req.method === 'GET' && route === '/messages') return json(res, 200, received);
    if (req.method === 'GET' && reportRoute) {
      const report = reports.get(decodeURIComponent(reportRoute[1]));
      return report
        ? json(res, 200, report)
        : json(res, 404, { code: 'ADMIN_F110', message: 'unknown report number' });
    }
    if (req.method === 'POST' && statusRoute)
      return readJson(
        req,
        (value) =>
          json(res, 200, setStatus(decodeURIComponent(statusRoute[1]), value as StatusChangeRequest)),
        res,
      );
    if (req.method === 'GET' && route === '/misbehaviour') return json(res, 200, config);
    if ((req.method === 'POST' || req.method === 'PUT') && route === '/misbehaviour')
      return readJson(
        req,
        (value) => json(res, 200, setMisbehaviour(value as Partial<DuoMisbehaviour>, req.method === 'PUT')),
        res,
      );
    if (req.method === 'POST' && route === '/reset')
      return readJson(
        req,
        () => {
          reset();
          json(res, 200, { reset: true });
        },
        res,
      );
    json(res, 404, { code: 'ADMIN_ROUTE_UNKNOWN', message: 'no such admin route' });
  }

  function reset(): void {
    random = mulberry32(options.seed ?? 1);
    config = { ...NO_MISBEHAVIOUR, ...options.misbehaviour };
    nextNumber = options.firstReportNumber ?? 100001;
    stats = emptyStats();
    reports = new Map();
    byKenmerk = new Map();
    answers = new Map();
    changes = [];
    received = [];
    injections = 0;
  }

  checkMisbehaviour(config);
  return {
    handle,
    handleAdmin,
    stats: () => {
      advance();
      return structuredClone(stats);
    },
    reports: () => {
      advance();
      return structuredClone([...reports.values()]);
    },
    messages: () => structuredClone(received),
    misbehaviour: () => config,
    setMisbehaviour,
    setStatus: (reportNumber, change) => structuredClone(setStatus(reportNumber, change)),
    reset,
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const res of held) res.destroy();
      held.clear();
    },
  };
}

function checkMisbehaviour(config: DuoMisbehaviour): void {
  const rate = (value: unknown) => typeof value === 'number' && value >= 0 && value <= 1;
  const ok =
    rate(config.http500) &&
    rate(config.validation) &&
    rate(config.loseResponse) &&
    (config.timeout === null ||
      config.timeout === 'never' ||
      (typeof config.timeout === 'number' && config.timeout >= 0)) &&
    typeof config.slowMs === 'number' &&
    config.slowMs >= 0 &&
    (config.loseResponseMode === 'http500' || config.loseResponseMode === 'drop') &&
    typeof config.duplicateDelivery === 'boolean' &&
    (config.maxInjections === null || (Number.isInteger(config.maxInjections) && config.maxInjections >= 0));
  const known = Object.keys(NO_MISBEHAVIOUR);
  if (!ok || Object.keys(config).some((key) => !known.includes(key)))
    throw new Refusal(
      'F102',
      'misbehaviour: rates 0..1, timeout null|"never"|ms, slowMs ≥ 0, loseResponseMode http500|drop',
    );
}
