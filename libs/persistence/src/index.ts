export { EmbeddedPostgres } from './embedded/embedded-postgres.js';
export { createDataSource, openDatabase, type DataSourceOptions } from './data-source.js';
export { ENTITIES } from './entities/index.js';
export { MIGRATIONS } from './migrations/index.js';
export { TypeOrmRecordBatchRepository } from './repositories/record-batch.repository.js';
export { TypeOrmOutboxStore, insertOutboxEvent } from './repositories/outbox.repository.js';
export { databaseHealthCheck } from './database-health.js';
export type { DataSource } from 'typeorm';
