import type { DataSource } from 'typeorm';
import type { HealthCheck } from '#domain';

export function databaseHealthCheck(dataSource: DataSource): HealthCheck {
  return {
    name: 'database',
    async check() {
      if (!dataSource.isInitialized) throw new Error('database not initialised');
      await dataSource.query('SELECT 1');
    },
  };
}
