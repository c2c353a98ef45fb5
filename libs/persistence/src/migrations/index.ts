import { InitialSchema1764340000000 } from './1764340000000-initial-schema.js';
import { IngestQuarantineMappings1764400000000 } from './1764400000000-ingest-quarantine-mappings.js';
import { RecordVersions1764500000000 } from './1764500000000-record-versions.js';
import { PrivacyStore1764600000000 } from './1764600000000-privacy-store.js';
import { SignalsStore1764700000000 } from './1764700000000-signals-store.js';
import { Delivery1764800000000 } from './1764800000000-delivery.js';
import { SendingParties1765200000000 } from './1765200000000-sending-parties.js';
import { ConsoleSession1765300000000 } from './1765300000000-console-session.js';
import { PolicyProof1765400000000 } from './1765400000000-policy-proof.js';
import { AuditChainPerBoard1765400000001 } from './1765400000001-audit-chain-per-board.js';
import { PupilIdentity1765430000000 } from './1765430000000-pupil-identity.js';
import { PupilEducation1765440000000 } from './1765440000000-pupil-education.js';
import { ReportCases1765450000000 } from './1765450000000-report-cases.js';
import { PupilRoster1765460000000 } from './1765460000000-pupil-roster.js';
import { PolicyFourEyes1765480000000 } from './1765480000000-policy-four-eyes.js';
import { ReportChangeIndex1765490000000 } from './1765490000000-report-change-index.js';
import { OfficerWorkspace1765500000000 } from './1765500000000-officer-workspace.js';
import { AuditLogBrowser1765510000000 } from './1765510000000-audit-log-browser.js';
import { LegalHoldHistory1765520000000 } from './1765520000000-legal-hold-history.js';
import { RegisterController1765520000001 } from './1765520000001-register-controller.js';
import { SchoolFeedback1765530000000 } from './1765530000000-school-feedback.js';
import { RecordTally1765550000000 } from './1765550000000-record-tally.js';
import { BatchProcessedAtIngest1765570000000 } from './1765570000000-batch-processed-at-ingest.js';
import { ReportTableName1765580000000 } from './1765580000000-report-table-name.js';
import { RecordIndexInventory1765590000000 } from './1765590000000-record-index-inventory.js';
import { TypedRecordStore1765600000000 } from './1765600000000-typed-record-store.js';

/** Every migration, in order. Never edit one that has landed; add a new one. */
export const MIGRATIONS = [
  InitialSchema1764340000000,
  IngestQuarantineMappings1764400000000,
  RecordVersions1764500000000,
  PrivacyStore1764600000000,
  SignalsStore1764700000000,
  Delivery1764800000000,
  SendingParties1765200000000,
  ConsoleSession1765300000000,
  PolicyProof1765400000000,
  AuditChainPerBoard1765400000001,
  PupilIdentity1765430000000,
  PupilEducation1765440000000,
  ReportCases1765450000000,
  PupilRoster1765460000000,
  PolicyFourEyes1765480000000,
  ReportChangeIndex1765490000000,
  OfficerWorkspace1765500000000,
  AuditLogBrowser1765510000000,
  LegalHoldHistory1765520000000,
  RegisterController1765520000001,
  SchoolFeedback1765530000000,
  RecordTally1765550000000,
  BatchProcessedAtIngest1765570000000,
  ReportTableName1765580000000,
  RecordIndexInventory1765590000000,
  TypedRecordStore1765600000000,
];
