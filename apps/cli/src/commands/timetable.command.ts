import { parseArgs } from 'node:util';
import { lookup, quarantineLine } from './normalise.command.js';
import { UsageError, readText, writeJsonLines } from './read-input.js';

export async function runTimetable(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: { system: { type: 'string' }, input: { type: 'string' } },
  });
  if (!values.system || !values.input)
    throw new UsageError('timetable needs --system <id> and --input <file>');
  const adapter = lookup(values.system);
  if (!adapter.produces.includes('lessons')) {
    throw new UsageError(`system ${values.system} has no timetable; use zermelo, magister or somtoday`);
  }
  const output = adapter.parse(await readText(values.input, 'input'));
  const lessons = [...output.lessons].sort(
    (a, b) => a.start.localeCompare(b.start) || a.lessonId.localeCompare(b.lessonId),
  );
  writeJsonLines(process.stdout, lessons);
  writeJsonLines(process.stderr, output.quarantined.map(quarantineLine));
  return 0;
}
