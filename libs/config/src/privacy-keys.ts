import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigurationError } from './configuration-error.js';
import type { Settings } from './settings.js';

export const PRIVACY_KEY_FILE = 'privacy-keys.json';

export interface PrivacyKeys {
  /** AES-256-GCM key for BSNs at rest. */
  readonly pupilData: Buffer;
  /** HMAC-SHA256 key for pupil pseudonyms. */
  readonly pseudonym: Buffer;
  /** Where the keys came from; a production process on file keys should say so in its log. */
  readonly source: 'settings' | 'file' | 'mixed';
}

/**
 * The keys of the privacy store: from PUPIL_DATA_KEY / PUPIL_PSEUDONYM_KEY when set, otherwise from
 * `<DATA_DIR>/privacy-keys.json`, created (mode 0600) on first use like the local issuer's key. Losing the
 * file loses every stored BSN: production should set both settings. Key values are never logged.
 */
export async function loadPrivacyKeys(settings: Pick<Settings, 'dataDir' | 'privacy'>): Promise<PrivacyKeys> {
  const { pupilDataKey, pseudonymKey } = settings.privacy;
  if (pupilDataKey && pseudonymKey) {
    return { pupilData: pupilDataKey, pseudonym: pseudonymKey, source: 'settings' };
  }
  const dir = resolve(settings.dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, PRIVACY_KEY_FILE);
  const stored = (await readKeyFile(file)) ?? (await createKeyFile(file));
  return {
    pupilData: pupilDataKey ?? stored.pupilData,
    pseudonym: pseudonymKey ?? stored.pseudonym,
    source: pupilDataKey || pseudonymKey ? 'mixed' : 'file',
  };
}

async function readKeyFile(file: string): Promise<{ pupilData: Buffer; pseudonym: Buffer } | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw invalid(file);
  }
  const pupilData =
    typeof parsed['pupilData'] === 'string' ? Buffer.from(parsed['pupilData'], 'base64') : null;
  const pseudonym =
    typeof parsed['pseudonym'] === 'string' ? Buffer.from(parsed['pseudonym'], 'base64') : null;
  if (pupilData?.length !== 32 || pseudonym === null || pseudonym.length < 32) throw invalid(file);
  if (process.platform !== 'win32' && ((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return { pupilData, pseudonym };
}

/** Exclusive create through a hard link: two processes starting together end up with the same keys. */
async function createKeyFile(file: string): Promise<{ pupilData: Buffer; pseudonym: Buffer }> {
  const content =
    JSON.stringify({
      pupilData: randomBytes(32).toString('base64'),
      pseudonym: randomBytes(32).toString('base64'),
    }) + '\n';
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, content, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      await writeFile(file, content, { mode: 0o600, flag: 'wx' }).catch((inner: NodeJS.ErrnoException) => {
        if (inner.code !== 'EEXIST') throw inner;
      });
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const stored = await readKeyFile(file);
  if (!stored) throw invalid(file);
  return stored;
}

function invalid(file: string): ConfigurationError {
  return new ConfigurationError([
    `${file} is not a valid privacy key file; restore it from backup (deleting it makes stored BSNs unreadable)`,
  ]);
}
