import { open, readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';

/** A usage problem or an input that cannot be read at all: exit 2 (contracts §1). */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'UNREADABLE';
    throw new UsageError(`cannot read ${what} ${path} (${code})`);
  }
}

/**
 * A file as a stream of chunks (1 MiB each), for payloads that may be large: opened (and checked to be a file)
 * up front, so that a missing or unreadable input is a usage error before anything is written.
 */
export async function readChunks(path: string, what: string): Promise<AsyncIterable<Uint8Array>> {
  const fail = (error: unknown): UsageError =>
    new UsageError(`cannot read ${what} ${path} (${(error as { code?: string }).code ?? 'UNREADABLE'})`);
  let handle;
  try {
    handle = await open(path, 'r');
    if ((await handle.stat()).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (error) {
    await handle?.close();
    throw fail(error);
  }
  const stream = handle.createReadStream({ highWaterMark: 1 << 20 });
  return (async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of stream) yield chunk as Uint8Array;
    } catch (error) {
      throw fail(error);
    }
  })();
}

/** JSON or YAML (YAML is a superset of JSON), for mapping and schedule files. */
export async function readStructured(path: string, what: string): Promise<unknown> {
  const text = await readText(path, what);
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new UsageError(`${what} ${path} is not valid JSON or YAML${line ? ` (line ${line})` : ''}`);
  }
}

export function writeJsonLines(stream: NodeJS.WritableStream, items: readonly unknown[]): void {
  // One write per chunk: a million records must not become a million syscalls.
  const CHUNK = 1_000;
  for (let i = 0; i < items.length; i += CHUNK) {
    stream.write(
      items
        .slice(i, i + CHUNK)
        .map((item) => JSON.stringify(item))
        .join('\n') + '\n',
    );
  }
}
