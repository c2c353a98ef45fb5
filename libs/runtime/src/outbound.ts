import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { type LeerplichtRouter, endpointOfRecipient, routerFromTable, schoolToday } from '#application';
import { type Settings, loadLeerplichtRouting } from '#config';
import { DUO_PROFILES, type DuoProfile, DuoRodConnector, IBG_VSV_2_PROFILE_ID } from '#connector-duo-rod';
import { LeerplichtConnector } from '#connector-leerplicht';
import { ConfigurationError } from '#config';
import type { Clock, LeerplichtInboxWriter, ReportConnector, SendingPartyStore } from '#domain';
import type { ReleasedPayload } from '#privacy';
import { loadSigningKey } from './signing-key.js';
import { DuoSendingPartyConnector } from './duo-identities.js';
import { RUNTIME_ERRORS } from './runtime-error-codes.js';

/** What the dispatcher sends with: one connector per destination, and the leerplicht routing. */
export interface Outbound {
  readonly connectors: readonly ReportConnector<ReleasedPayload>[];
  readonly router: LeerplichtRouter | null;
  /** Jitter source (tests). */
  readonly random?: () => number;
}

/** The shipped routing table: `config/leerplicht/routing.yaml` next to `dist/`. */
export const DEFAULT_ROUTING_FILE = fileURLToPath(
  new URL('../../../../config/leerplicht/routing.yaml', import.meta.url),
);

/** The leerplicht router of the settings' routing table (the dispatcher's, for read-only previews). */
export function leerplichtRouterOf(settings: Settings): LeerplichtRouter {
  return routerFromTable(
    loadLeerplichtRouting(settings.delivery.leerplichtRoutingFile ?? DEFAULT_ROUTING_FILE),
  );
}

/** A setting that is PEM text itself or a path to a PEM file. */
async function pemOf(name: string, value: string): Promise<string> {
  if (value.includes('-----BEGIN')) return value;
  try {
    return await readFile(value, 'utf8');
  } catch {
    throw new ConfigurationError([`${name}: cannot read ${value}`]);
  }
}

/**
 * Builds the connectors the delivery settings describe: DUO through the sending-party router (ADR 0014) — each
 * board's messages with that board's own PKIoverheid identity, the settings identity (DUO_CLIENT_CERT / SCHOOL_OIN)
 * for boards without one — and leerplicht always (the routing table decides per municipality: webhook, inbox or
 * none). Without any DUO identity, DUO deliveries are held (DUO_NOT_CONFIGURED) until one is set.
 */
export async function outboundFromSettings(
  settings: Settings,
  logger: Logger,
  inbox: LeerplichtInboxWriter,
  options: { readonly parties?: SendingPartyStore; readonly clock?: Clock } = {},
): Promise<Outbound> {
  const d = settings.delivery;
  const table = loadLeerplichtRouting(d.leerplichtRoutingFile ?? DEFAULT_ROUTING_FILE);
  const signingKey = await loadSigningKey(settings);
  const clock = options.clock ?? { now: () => new Date() };
  const profile = duoProfileOf(d.duoCodeProfile);
  const ca = d.duoCa ? await pemOf('DUO_CA', d.duoCa) : '';
  let fallback: DuoRodConnector | null = null;
  if (d.duoEndpointUrl !== null && d.duoClientCert && d.duoClientKey) {
    try {
      fallback = new DuoRodConnector({
        endpoint: d.duoEndpointUrl,
        duoOin: d.duoOin,
        senderOin: d.schoolOin,
        party: 'settings',
        tls: {
          cert: await pemOf('DUO_CLIENT_CERT', d.duoClientCert),
          key: await pemOf('DUO_CLIENT_KEY', d.duoClientKey),
          ca,
          ...(d.duoClientKeyPassphrase ? { passphrase: d.duoClientKeyPassphrase } : {}),
        },
        profile,
        timeoutMs: d.duoTimeoutMs,
        clock,
      });
    } catch (error) {
      throw new ConfigurationError([`DUO_CLIENT_KEY: ${(error as Error).message}`]);
    }
  } else if (d.duoEndpointUrl === null) {
    logger.warn(
      { code: RUNTIME_ERRORS.DUO_NOT_CONFIGURED },
      'DUO_ENDPOINT_URL not set: DUO deliveries of boards without a sending party with an endpoint are held',
    );
  }
  const duo = new DuoSendingPartyConnector(
    options.parties ?? null,
    fallback,
    { endpoint: d.duoEndpointUrl, duoOin: d.duoOin, ca, profile, timeoutMs: d.duoTimeoutMs },
    clock,
    logger.child({ component: 'duo-identities' }),
  );
  const connectors: ReportConnector<ReleasedPayload>[] = [
    new LeerplichtConnector({
      signingKey: { privateJwk: signingKey.privateJwk, kid: signingKey.kid },
      endpointOf: (id) => endpointOfRecipient(table, id, schoolToday(new Date())),
      inbox,
      timeoutMs: d.leerplichtTimeoutMs,
    }),
    duo,
  ];
  return { connectors, router: routerFromTable(table) };
}

/** DUO_CODE_PROFILE: a profile this build knows (default ibg-vsv-2); anything else stops the start. */
export function duoProfileOf(id: string | null): DuoProfile {
  const profile = DUO_PROFILES[id ?? IBG_VSV_2_PROFILE_ID];
  if (profile === undefined)
    throw new ConfigurationError([
      `DUO_CODE_PROFILE: unknown profile (known: ${Object.keys(DUO_PROFILES).join(', ')})`,
    ]);
  return profile;
}
