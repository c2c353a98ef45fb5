import {
  type CertificateState,
  type NewAuditEntry,
  type SendingParty,
  certificateState,
  dutchDay,
} from '#domain';

/** A sending party as the API shows it: never the key, and where its certificate stands. */
export interface SendingPartyView extends SendingParty {
  readonly certificateStatus: {
    readonly state: CertificateState;
    readonly daysLeft: number;
    /** Dutch, for the board administrator: expiring within 30 days, expired, not yet valid. */
    readonly warning: string | null;
  };
}

export function viewOf(party: SendingParty, now: Date): SendingPartyView {
  const { state, daysLeft } = certificateState(party.certificate, now);
  const warning =
    state === 'EXPIRED'
      ? `Het certificaat is verlopen op ${dutchDay(party.certificate.notAfter)}. Meldingen aan DUO voor deze scholen wachten tot er een nieuw certificaat is; er gaat niets verloren.`
      : state === 'EXPIRING'
        ? `Het certificaat verloopt over ${daysLeft} ${daysLeft === 1 ? 'dag' : 'dagen'}, op ${dutchDay(party.certificate.notAfter)}. Vraag op tijd een nieuw PKIoverheid-certificaat aan en upload het, anders wachten de meldingen aan DUO.`
        : state === 'NOT_YET_VALID'
          ? `Het certificaat is pas geldig vanaf ${dutchDay(party.certificate.notBefore)}.`
          : null;
  return { ...party, certificateStatus: { state, daysLeft, warning } };
}

export function audit(
  board: string,
  entry: Record<string, string | readonly string[] | null>,
): NewAuditEntry {
  return { board, kind: 'SENDING_PARTY', entry };
}
