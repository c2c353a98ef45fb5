import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * BSN at rest: AES-256-GCM with a fresh 96-bit IV per value; the board and local id are the additional
 * authenticated data, so a ciphertext copied to another pupil's row does not decrypt. Stored as
 * `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export function encryptBsn(key: Buffer, board: string, localId: string, bsn: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(board, localId));
  const ciphertext = Buffer.concat([cipher.update(bsn, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The clear BSN; throws when the value was tampered with or belongs to another row. */
export function decryptBsn(key: Buffer, board: string, localId: string, stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('unknown BSN encoding');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(aad(board, localId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}

function aad(board: string, localId: string): Buffer {
  return Buffer.from(`${board.length}:${board}:${localId}`, 'utf8');
}
