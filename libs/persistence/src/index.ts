export { EmbeddedPostgres } from './embedded/embedded-postgres.js';
export { createDataSource, openDatabase, type DataSourceOptions } from './data-source.js';
export { ENTITIES } from './entities/index.js';
export { MIGRATIONS } from './migrations/index.js';
export { TypeOrmRecordBatchRepository } from './repositories/record-batch.repository.js';
export { TypeOrmOutboxStore, insertOutboxEvent } from './repositories/outbox.repository.js';
export { databaseHealthCheck } from './database-health.js';
export type { DataSource } from 'typeorm';
export { TypeOrmReasonMappingRepository } from './repositories/reason-mapping.repository.js';
export { TypeOrmQuarantineRepository } from './repositories/quarantine.repository.js';
export { TypeOrmAuditLog, appendAuditEntries } from './repositories/audit-log.repository.js';
export { TypeOrmAuditLogBrowser } from './repositories/audit-log-browser.repository.js';
export { auditHash, GENESIS_HASH } from './repositories/audit-log.hash.js';
export { TypeOrmPupilRegistry } from './repositories/pupil-registry.repository.js';
export { encryptBsn, decryptBsn } from './repositories/pupil-registry.crypto.js';
export { TypeOrmPupilRosterStore } from './repositories/pupil-roster.repository.js';
export { TypeOrmDisclosureStore } from './repositories/disclosure-request.repository.js';
export { TypeOrmPolicyVersionStore } from './repositories/policy-version.repository.js';
export { TypeOrmRetentionStore } from './repositories/retention.repository.js';
export { TypeOrmRetentionRecords } from './repositories/retention-records.repository.js';
export { TypeOrmTimetableRepository } from './repositories/timetable.repository.js';
export {
  TypeOrmSignalStore,
  TypeOrmAnalysisStore,
  signalRetentionHook,
} from './repositories/signal.repository.js';
export { TypeOrmReportStore, reportDraftRetentionHook } from './repositories/report.repository.js';
export { TypeOrmReportCaseStore } from './repositories/report-case.repository.js';
export { TypeOrmSchoolCalendarStore } from './repositories/school-calendar.repository.js';
export { TypeOrmSchoolSettingsStore } from './repositories/school-settings.repository.js';
export {
  TypeOrmBoardSettingsStore,
  TypeOrmPupilDirectory,
  storedPseudonymiser,
} from './repositories/board-settings.repository.js';
export {
  TypeOrmDeliveryStore,
  TypeOrmLeerplichtInbox,
  TypeOrmBoardSummary,
} from './repositories/delivery.repository.js';
export { TypeOrmUnitOfWork } from './repositories/unit-of-work.js';
export { TypeOrmPersonalNumberSource } from './repositories/personal-number.repository.js';
export { TypeOrmSendingPartyStore } from './repositories/sending-party.repository.js';
export { TypeOrmConsoleSessionStore } from './repositories/console-session.repository.js';
