import { hkdfSync } from 'node:crypto';
import type { PrivacyKeys } from '#config';
import { type DataSource, TypeOrmSendingPartyStore } from '#persistence';

/**
 * The store of sending parties (ADR 0014) with its own encryption key, derived (HKDF-SHA256) from the privacy key
 * that protects BSNs at rest: one secret to keep (PUPIL_DATA_KEY or the key file in DATA_DIR), and a key that
 * decrypts a BSN never decrypts a PKIoverheid key, nor the other way round.
 */
export function openSendingPartyStore(
  dataSource: DataSource,
  keys: Pick<PrivacyKeys, 'pupilData'>,
): TypeOrmSendingPartyStore {
  const key = Buffer.from(
    hkdfSync('sha256', keys.pupilData, Buffer.alloc(0), 'ketenpoort:sending-party-material:v1', 32),
  );
  return new TypeOrmSendingPartyStore(dataSource, key);
}
