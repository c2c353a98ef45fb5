import {
  type LeerplichtRouteRequest,
  type LeerplichtRoutingTable,
  resolveLeerplichtRoute,
} from '../leerplicht-routing/index.js';
import type { Delivery, DeliveryOperation, Destination, PlannedDelivery, Pupil, Report } from '#domain';
import { DISPATCH_ERRORS } from './dispatch-error-codes.js';

export type LeerplichtRouteAnswer =
  | {
      readonly ok: true;
      readonly recipient: { readonly kind: 'LEERPLICHT' | 'DOORSTROOMPUNT'; readonly id: string };
      readonly channel: 'webhook' | 'inbox' | 'none';
      /** The steps taken, in Dutch (shown to school staff). */
      readonly explanation: readonly string[];
    }
  | { readonly ok: false; readonly code: string; readonly reason: string };

export type LeerplichtRouter = (request: LeerplichtRouteRequest) => LeerplichtRouteAnswer;

/** The dispatcher's router over a routing table (config/leerplicht/routing.yaml or LEERPLICHT_ROUTING). */
export function routerFromTable(table: LeerplichtRoutingTable): LeerplichtRouter {
  return (request) => {
    const result = resolveLeerplichtRoute(table, request);
    if (result.ok) {
      return {
        ok: true,
        recipient: { kind: result.value.recipient.kind, id: result.value.recipient.id },
        channel: result.value.channel,
        explanation: result.value.explanation,
      };
    }
    const issue = result.issues[0];
    return {
      ok: false,
      code: issue?.code ?? DISPATCH_ERRORS.ROUTE_UNKNOWN,
      reason: issue?.message ?? 'Geen route naar leerplicht gevonden.',
    };
  };
}

/** The idempotency key of a delivery: derived from the report, the destination and the operation, never random. */
export const deliveryKey = (
  reportId: string,
  destination: Destination,
  operation: DeliveryOperation,
): string => `kp-${destination.toLowerCase()}-${operation.toLowerCase()}-${reportId}`;

const OPERATION_OF: Record<Report['action'], DeliveryOperation> = {
  REPORT: 'REGISTER',
  CORRECTION: 'UPDATE',
  WITHDRAWAL: 'WITHDRAW',
};

/**
 * Where an approved report goes. A first report: always to DUO (the statutory route; DUO forwards it to the
 * woongemeente), and directly to the municipality (or the body that handles its reports, or the
 * Doorstroompunt region) when the routing table gives that recipient a channel. A correction or withdrawal:
 * to every destination that took the report it concerns.
 */
export function planDeliveries(input: {
  readonly report: Report;
  readonly pupil: Pick<Pupil, 'birthDate' | 'woongemeente' | 'startkwalificatie'> | null;
  /** The deliveries of the report a correction or withdrawal concerns. */
  readonly originalDeliveries: readonly Delivery[];
  readonly duoOin: string;
  readonly router: LeerplichtRouter | null;
}): PlannedDelivery[] {
  const { report } = input;
  const operation = OPERATION_OF[report.action];
  if (operation !== 'REGISTER') {
    return input.originalDeliveries
      .filter((d) => d.operation === 'REGISTER' && d.status !== 'SKIPPED')
      .map((d) => ({
        destination: d.destination,
        operation,
        recipient: d.recipient,
        idempotencyKey: deliveryKey(report.id, d.destination, operation),
      }));
  }
  const planned: PlannedDelivery[] = [
    {
      destination: 'DUO',
      operation,
      recipient: { kind: 'DUO', id: input.duoOin },
      idempotencyKey: deliveryKey(report.id, 'DUO', operation),
    },
  ];
  const leerplicht = leerplichtDelivery(input, operation);
  if (leerplicht) planned.push(leerplicht);
  return planned;
}

function leerplichtDelivery(
  input: Parameters<typeof planDeliveries>[0],
  operation: DeliveryOperation,
): PlannedDelivery | null {
  if (input.router === null) return null;
  const { report, pupil } = input;
  const key = deliveryKey(report.id, 'LEERPLICHT', operation);
  if (pupil === null) {
    return {
      destination: 'LEERPLICHT',
      operation,
      recipient: { kind: 'LEERPLICHT', id: 'onbekend' },
      idempotencyKey: key,
      skipped: {
        code: DISPATCH_ERRORS.PUPIL_UNKNOWN,
        reason: 'Leerling niet in het register; alleen via DUO gemeld.',
      },
    };
  }
  const beginDate = report.fields['absence.beginDate'];
  const answer = input.router({
    ...(pupil.woongemeente ? { woongemeente: pupil.woongemeente } : {}),
    birthDate: pupil.birthDate,
    ...(pupil.startkwalificatie !== null ? { startkwalificatie: pupil.startkwalificatie } : {}),
    reportKind: report.kind,
    date: typeof beginDate === 'string' ? beginDate : report.createdAt.slice(0, 10),
  });
  if (!answer.ok) {
    return {
      destination: 'LEERPLICHT',
      operation,
      recipient: { kind: 'LEERPLICHT', id: pupil.woongemeente ?? 'onbekend' },
      idempotencyKey: key,
      skipped: { code: answer.code, reason: answer.reason },
    };
  }
  return {
    destination: 'LEERPLICHT',
    operation,
    recipient: answer.recipient,
    idempotencyKey: key,
    ...(answer.channel === 'none'
      ? {
          skipped: {
            code: DISPATCH_ERRORS.NO_DIRECT_CHANNEL,
            reason: `${answer.explanation.join(' ')} Geen directe aansluiting; DUO stuurt de melding door.`,
          },
        }
      : {}),
  };
}
