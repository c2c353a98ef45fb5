import { parseArgs } from 'node:util';
import { BuildAccessReportUseCase, renderAccessReportHtml } from '#application';
import { loadPrivacyKeys } from '#config';
import { isDomainError, pupilPseudonym } from '#domain';
import { TypeOrmDisclosureStore, TypeOrmPupilRegistry } from '#persistence';
import { systemClock } from '#runtime';
import { withDatabase } from './cli-database.js';
import { UsageError } from './read-input.js';

/**
 * `access-report --pupil <localId> --board <board> [--format json|html] [--database-url <url>]`: the same
 * report as GET /v1/pupils/:localId/access-report, for the board's privacy officer at the console.
 */
export async function runAccessReport(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      pupil: { type: 'string' },
      board: { type: 'string' },
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
        (b, localId) => pupilPseudonym(keys.pseudonym, b, localId),
        systemClock,
      );
      return useCase.execute({ role: 'privacy_officer', subject: 'cli', board }, pupil);
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
