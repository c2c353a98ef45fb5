// The API's shapes, named from the gateway's own types (type-only: erased at build, ADR 0015).
export type {
  Actor,
  Delivery,
  QuarantineEntry,
  Report,
  ReportStatusChange,
  StoredReasonMapping,
  StoredSignal,
  PupilSearchHit,
} from '#domain';
export type {
  IngestResult,
  PutReasonMappingResult,
  ReportPreview,
  PreviewDestination,
  UnmappedReason,
  SendingPartyView,
  PupilOverview,
  OverviewWeek,
  OverviewDay,
  OverviewCell,
  OverviewWindow,
  OverviewRecord,
  OverviewReport,
} from '#application';
import type { Actor } from '#domain';

export interface SignedIn {
  readonly signedIn: true;
  readonly actor: Actor;
  readonly name: string | null;
  readonly csrfToken: string;
  readonly expiresAt: string;
}
export interface SignedOut {
  readonly signedIn: false;
  readonly signInAvailable: boolean;
}
export type SessionState = SignedIn | SignedOut;
