import {
  type Actor,
  type Clock,
  type DeliveryOperation,
  type DeliveryStore,
  type Destination,
  NotFoundError,
  type PolicyEngine,
  type PupilRegistry,
  type PupilRosterStore,
  type RecipientKind,
  type Report,
  type ReportStore,
  type ReportFieldSource,
} from '#domain';
import { disclosureRequestFor } from '../dispatch/disclosure-request.js';
import { type LeerplichtRouter, planDeliveries } from '../dispatch/plan-deliveries.js';
import type { PolicyResolver } from '../privacy-engine/index.js';
import { schoolInScope, schoolToday } from '../shared/school-day.js';
import { PREVIEW_REPORT_ERRORS } from './preview-report-error-codes.js';

/** Stands in for a BSN on file: the preview says it would leave without reading (decrypting) it. */
export const BSN_ON_FILE = '•••••••••';
/**
 * Stands in for the pupil's roster name (ADR 0027): the dispatcher reads it at send time; the preview only says
 * it would leave, so no one who may preview but not read roster data sees a name here.
 */
export const NAME_ON_FILE = '••••••';

/** What one destination would receive, decided now under the policy in force. */
export interface PreviewDestination {
  readonly destination: Destination;
  readonly operation: DeliveryOperation;
  readonly recipient: { readonly kind: RecipientKind; readonly id: string };
  /**
   * SEND: the privacy decision permits it · DENIED: the policy refuses it (nothing leaves) · SKIPPED: no direct
   * channel to this recipient (DUO routes the report on) · BLOCKED: the pupil's data do not allow a decision.
   */
  readonly outcome: 'SEND' | 'DENIED' | 'SKIPPED' | 'BLOCKED';
  /** Why, for SKIPPED and BLOCKED (coded, with the Dutch text of the planner). */
  readonly reason: { readonly code: string; readonly text: string } | null;
  readonly released: readonly { readonly field: string; readonly value: unknown }[];
  readonly withheld: readonly { readonly field: string; readonly rule: string; readonly reason: string }[];
  /** The engine's plain-Dutch explanation; null when nothing was decided. */
  readonly explanation: string | null;
}

export interface ReportPreview {
  readonly report: Report;
  readonly policy: { readonly id: string; readonly version: string; readonly source: 'board' | 'default' };
  readonly destinations: readonly PreviewDestination[];
}

export interface PreviewReportOptions {
  readonly duoOin: string;
  readonly router: LeerplichtRouter | null;
  /** What the dispatcher merges under the report's fields (DUO's education and contact fields), so the preview
   * shows the same. */
  readonly fieldSource?: ReportFieldSource;
  /** The roster, to know whether the pupil has a name the dispatcher would add (shown as NAME_ON_FILE). */
  readonly roster?: Pick<PupilRosterStore, 'get'>;
}

/**
 * A report exactly as it would leave if approved now: the deliveries the dispatcher would plan and, for each, the
 * privacy decision under the policy in force with the released and withheld fields. Read-only: nothing is sent,
 * no disclosure is recorded, the BSN is never decrypted (shown as on file), the roster name never shown (ADR 0027).
 */
export class PreviewReportUseCase {
  constructor(
    private readonly reports: Pick<ReportStore, 'get'>,
    private readonly deliveries: Pick<DeliveryStore, 'ofReport'>,
    private readonly pupils: Pick<PupilRegistry, 'find'>,
    private readonly resolver: Pick<PolicyResolver, 'inForce'>,
    private readonly engine: Pick<PolicyEngine, 'decide'>,
    private readonly clock: Clock,
    private readonly options: PreviewReportOptions,
  ) {}

  async execute(actor: Actor, school: string, reportId: string): Promise<ReportPreview> {
    const scope = schoolInScope(actor, 'read', school);
    const now = this.clock.now();
    const today = schoolToday(now);
    const report = await this.reports.get(scope.board, [school], reportId, today);
    if (report === null) throw new NotFoundError(PREVIEW_REPORT_ERRORS.REPORT_NOT_FOUND, 'No such report');
    const pupil = await this.pupils.find(
      { board: scope.board, schools: null },
      report.pupil.localId,
      report.school,
    );
    const original = report.supersedes ? await this.deliveries.ofReport(scope.board, report.supersedes) : [];
    const planned = planDeliveries({
      report,
      pupil,
      originalDeliveries: original,
      duoOin: this.options.duoOin,
      router: this.options.router,
    });
    const policy = await this.resolver.inForce(scope.board, now);
    const fields =
      pupil && this.options.fieldSource
        ? await this.options.fieldSource.fieldsFor(scope.board, report.school, pupil)
        : {};
    const named =
      pupil !== null && this.options.roster
        ? Boolean(
            (await this.options.roster.get(scope.board, report.school, report.pupil.localId))?.displayName,
          )
        : false;
    const supplied = named ? { ...fields, 'pupil.name': NAME_ON_FILE } : fields;
    const destinations = planned.map((p): PreviewDestination => {
      const base = { destination: p.destination, operation: p.operation, recipient: p.recipient };
      const none = { released: [], withheld: [], explanation: null };
      if (p.skipped) {
        return {
          ...base,
          ...none,
          outcome: 'SKIPPED',
          reason: { code: p.skipped.code, text: p.skipped.reason },
        };
      }
      if (pupil === null) {
        return {
          ...base,
          ...none,
          outcome: 'BLOCKED',
          reason: {
            code: PREVIEW_REPORT_ERRORS.PUPIL_UNKNOWN,
            text: 'De leerling staat niet in het leerlingregister.',
          },
        };
      }
      const request = disclosureRequestFor(
        report,
        pupil,
        p.recipient,
        pupil.hasBsn ? BSN_ON_FILE : null,
        today,
        supplied,
      );
      if (request === null) {
        return {
          ...base,
          ...none,
          outcome: 'BLOCKED',
          reason: {
            code: PREVIEW_REPORT_ERRORS.PUPIL_DATA_INVALID,
            text: 'De geboortedatum van de leerling past niet bij de meldingsperiode.',
          },
        };
      }
      const decision = this.engine.decide(policy.text, request, now);
      return {
        ...base,
        outcome: decision.effect === 'permit' ? 'SEND' : 'DENIED',
        reason: null,
        released:
          decision.effect === 'permit'
            ? decision.released.map((field) => ({ field, value: request.payload[field] ?? null }))
            : [],
        withheld: decision.withheld.map((w) => ({ field: w.field, rule: w.rule, reason: w.reason })),
        explanation: decision.explanation,
      };
    });
    return {
      report,
      policy: { id: policy.id, version: policy.version, source: policy.source },
      destinations,
    };
  }
}
