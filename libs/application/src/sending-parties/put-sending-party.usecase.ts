import {
  type Actor,
  type CertificateBundleReader,
  type Clock,
  DomainError,
  type SendingParty,
  type SendingPartyStore,
  ValidationError,
  certificateState,
} from '#domain';
import { PutSendingPartyCommand, type SendingPartyUpload } from './put-sending-party.command.js';
import { type SendingPartyView, viewOf, audit } from './sending-party-view.js';
import { SENDING_PARTIES_ERRORS } from './sending-parties-error-codes.js';

/**
 * A board administrator uploads (or replaces) a sending party (ADR 0014), its body read by
 * `parseSendingPartyUpload`: the certificate is read and checked
 * (RSA, the key belongs to it, not expired, its OIN that of the party), no school of the board is covered by two
 * parties, and the party is stored with its key encrypted, audited without any secret.
 */
export class PutSendingPartyUseCase {
  constructor(
    private readonly store: SendingPartyStore,
    private readonly readBundle: CertificateBundleReader,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string, upload: SendingPartyUpload): Promise<SendingPartyView> {
    const command = PutSendingPartyCommand.create(actor, id, upload);
    const read = this.readBundle(command.upload);
    if (!read.ok)
      throw new ValidationError(
        SENDING_PARTIES_ERRORS.SENDING_PARTY_CERTIFICATE_INVALID,
        'The certificate was refused; nothing was stored',
        read.issues,
      );
    const { certificate, material } = read.value;
    const now = this.clock.now();
    if (certificateState(certificate, now).state === 'EXPIRED')
      throw new ValidationError(
        SENDING_PARTIES_ERRORS.SENDING_PARTY_CERTIFICATE_INVALID,
        'The certificate has expired',
        [
          {
            field: 'certificate',
            code: SENDING_PARTIES_ERRORS.CERTIFICATE_EXPIRED,
            message: 'the certificate is no longer valid',
          },
        ],
      );
    const oin = command.oin ?? certificate.subjectOin;
    if (oin === null)
      throw new ValidationError(
        SENDING_PARTIES_ERRORS.SENDING_PARTY_INVALID,
        'The certificate names no OIN: give it as oin',
        [
          {
            field: 'oin',
            code: SENDING_PARTIES_ERRORS.OIN_REQUIRED,
            message: 'the OIN of the party (20 digits)',
          },
        ],
      );
    if (certificate.subjectOin !== null && certificate.subjectOin !== oin)
      throw new ValidationError(
        SENDING_PARTIES_ERRORS.SENDING_PARTY_INVALID,
        'The OIN is not the certificate’s',
        [
          {
            field: 'oin',
            code: SENDING_PARTIES_ERRORS.OIN_MISMATCH,
            message: 'must be the OIN in the certificate (subject serialNumber)',
          },
        ],
      );
    const parties = await this.store.list(command.board);
    const taken = command.schools
      .map((s) => s.brin)
      .filter((brin) => parties.some((p) => p.id !== command.id && p.schools.some((s) => s.brin === brin)));
    if (taken.length > 0)
      throw new DomainError(
        SENDING_PARTIES_ERRORS.SENDING_PARTY_SCHOOL_TAKEN,
        'conflict',
        `Another sending party of the board already sends for ${taken.join(', ')}`,
      );
    const existing = parties.find((p) => p.id === command.id);
    const party: SendingParty = {
      id: command.id,
      board: command.board,
      kind: command.kind,
      name: command.name,
      oin,
      endpoint: command.endpoint,
      schools: command.schools,
      certificate,
      createdAt: existing?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
      updatedBy: command.subject,
    };
    await this.store.put(party, material, [
      audit(command.board, {
        action: existing ? 'REPLACED' : 'CREATED',
        party: party.id,
        oin,
        fingerprint: certificate.fingerprint,
        notAfter: certificate.notAfter,
        schools: command.schools.map((s) => s.brin),
        by: command.subject,
      }),
    ]);
    return viewOf(party, now);
  }
}
