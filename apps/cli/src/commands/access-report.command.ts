import { parseArgs } from 'node:util';
import { BuildAccessReportUseCase, renderAccessReportHtml } from '#application';
import { loadPrivacyKeys } from '#config';
import { isDomainError } from '#domain';
import { TypeOrmDisclosureStore, TypeOrmPupilRegistry, storedPseudonymiser } from '#persistence';
import { systemClock } from '#runtime';
import { withDatabase } from './cli-database.js';
import { UsageError } from './read-input.js';

/**
 * `access-report --pupil <localId> --board <board> [--school <BRIN>] [--format json|html] [--database-url <url>]`:
 * the same report as GET /v1/pupils/:localId/access-report, for the board's privacy officer at the console.
 * `--school` names which child when two schools of the board have a pupil with this number (ADR 0017).
 */
export async function runAccessReport(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      pupil: { type: 'string' },
      board: { type: 'string' },
      school: { type: 'string' },
      format: { type: 'string', default: 'json' },
      'database-url': { type: 'string' },
    },
    strict: true,
  });
  const { pupil, board, format } = values;
  if (!pupil || !board) throw new UsageError('--pupil <localId> and --board <board> are required');
  if (format !== 'json' && format !== 'html') throw new UsageError('--format is json or html');
  try {
    const report = await withDatabase(values['database-url'], async (dataSource, settings) => {
      const keys = await loadPrivacyKeys(settings);
      const useCase = new BuildAccessReportUseCase(
        new TypeOrmPupilRegistry(dataSource, keys.pupilData),
        new TypeOrmDisclosureStore(dataSource),
        storedPseudonymiser(dataSource, keys.pseudonym),
        systemClock,
      );
      return useCase.execute({ role: 'privacy_officer', subject: 'cli', board }, pupil, values.school);
    });
    process.stdout.write(
      format === 'html' ? renderAccessReportHtml(report) : JSON.stringify(report, null, 2) + '\n',
    );
    return 0;
  } catch (error) {
    if (isDomainError(error)) {
      process.stderr.write(`ketenpoort access-report: ${error.message} (${error.code})\n`);
      return 1;
    }
    throw error;
  }
}
