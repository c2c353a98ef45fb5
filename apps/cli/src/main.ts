import 'reflect-metadata';
import { PrivacyPolicyEngine } from '#application';
import { COMMANDS } from './commands.js';
import { runAccessReport } from './commands/access-report.command.js';
import { runAudit } from './commands/audit.command.js';
import { runBench } from './commands/bench.command.js';
import { runEvaluate } from './commands/evaluate.command.js';
import { runImport } from './commands/import.command.js';
import { runMigrate } from './commands/migrate.command.js';
import { runNormalise } from './commands/normalise.command.js';
import { runPull } from './commands/pull.command.js';
import { runPolicy } from './commands/policy.command.js';
import { runRegister } from './commands/register.command.js';
import { runReport } from './commands/report.command.js';
import { UsageError } from './commands/read-input.js';
import { runTimetable } from './commands/timetable.command.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: ketenpoort <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map(
      (c) => `  ${c.name.padEnd(width)}  ${c.summary}${c.available ? '' : ' (not yet available)'}`,
    ),
    '',
    'Every command has --help. Output is JSON on stdout; messages go to stderr.',
    'Exit codes: 0 done, 1 the command failed, 2 bad usage or unreadable input.',
    '',
  ].join('\n');
}

export async function run(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(
      `ketenpoort: unknown command "${name}". Known commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`,
    );
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: ketenpoort ${command.usage}\n\n${command.summary}\n`);
    return EXIT.ok;
  }
  if (!command.available) {
    process.stderr.write(`ketenpoort ${name}: not available in this version yet\n`);
    return EXIT.failed;
  }
  // The CLI process's one privacy engine (its composition root is here); the commands that decide take it.
  const engine = new PrivacyPolicyEngine();
  try {
    switch (command.name) {
      case 'migrate':
        return await runMigrate(rest);
      case 'normalise':
        return await runNormalise(rest);
      case 'timetable':
        return await runTimetable(rest);
      case 'import':
        return await runImport(rest);
      case 'evaluate':
        return await runEvaluate(rest);
      case 'bench':
        return await runBench(rest, engine);
      case 'pull':
        return await runPull(rest, engine);
      case 'policy':
        return await runPolicy(rest);
      case 'report':
        return await runReport(rest, engine);
      case 'audit':
        return await runAudit(rest);
      case 'access-report':
        return await runAccessReport(rest);
      case 'register':
        return await runRegister(rest, engine);
      default:
        return EXIT.failed;
    }
  } catch (error) {
    // parseArgs reports unknown or malformed options with a code of its own.
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`ketenpoort ${name}: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ketenpoort: ${(error as Error).message}\n`);
    process.exitCode = EXIT.failed;
  },
);
