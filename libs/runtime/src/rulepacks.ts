import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RulepackSignalEvaluator } from '#application';
import { ConfigurationError, type Settings } from '#config';
import { type Rulepack, loadRulepack, parseRulepack } from '#signals';

/** The national rulepack shipped with ketenpoort (`config/rulepacks/national.yaml`). */
export const NATIONAL_RULEPACK_FILE = fileURLToPath(
  new URL('../../../../config/rulepacks/national.yaml', import.meta.url),
);

/**
 * Reads and validates the rulepacks: the shipped national pack always, the regional pack named by
 * `RULEPACK_REGIONAL` on top of it when set. Every problem is collected and thrown as one ConfigurationError
 * (field, code and message of each; never the file's content), so a bad pack stops start-up (exit 78).
 */
export function loadRulepacks(
  settings: Pick<Settings, 'rulepackRegionalFile'>,
  nationalFile: string = NATIONAL_RULEPACK_FILE,
): Rulepack {
  const national = readPack(nationalFile, 'national rulepack', 'national');
  const regionalFile = settings.rulepackRegionalFile;
  if (regionalFile === null) return loadRulepack(national);
  return loadRulepack(national, readPack(regionalFile, 'RULEPACK_REGIONAL', 'regional'));
}

/** The rules engine with the configured rulepack bound inside (`loadRulepacks`). */
export function loadSignalEvaluator(
  settings: Pick<Settings, 'rulepackRegionalFile'>,
  nationalFile?: string,
): RulepackSignalEvaluator {
  return new RulepackSignalEvaluator(loadRulepacks(settings, nationalFile));
}

function readPack(file: string, name: string, kind: Rulepack['kind']): Rulepack {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigurationError([`${name} cannot be read (${file})`]);
  }
  const result = parseRulepack(text, name);
  if (!result.ok) {
    throw new ConfigurationError(
      result.issues.map(
        (issue) => `${name} (${file}): ${issue.field || '(file)'}: ${issue.code}: ${issue.message}`,
      ),
    );
  }
  if (result.value.kind !== kind) {
    throw new ConfigurationError([`${name} (${file}): kind: INVALID_VALUE: must be a ${kind} pack`]);
  }
  return result.value;
}
