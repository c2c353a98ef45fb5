import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { type LeerplichtRouter, endpointOfRecipient, routerFromTable, schoolToday } from '#application';
import { type Settings, loadLeerplichtRouting } from '#config';
import { DuoRodConnector, LEGACY_2010_PROFILE, LEGACY_2010_PROFILE_ID } from '#connector-duo-rod';
import { LeerplichtConnector } from '#connector-leerplicht';
import { ConfigurationError } from '#config';
import type { LeerplichtInboxWriter, ReportConnector } from '#domain';
import type { ReleasedPayload } from '#privacy';
import { loadSigningKey } from './signing-key.js';

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
 * Builds the connectors the delivery settings describe: DUO when DUO_ENDPOINT_URL is set (two-way TLS with the
 * school's certificate), leerplicht always (the routing table decides per municipality: webhook, inbox or none).
 * Without a DUO endpoint DUO deliveries wait on the retry schedule (CONNECTOR_NOT_CONFIGURED) until one is set.
 */
export async function outboundFromSettings(
  settings: Settings,
  logger: Logger,
  inbox: LeerplichtInboxWriter,
): Promise<Outbound> {
  const d = settings.delivery;
  const table = loadLeerplichtRouting(d.leerplichtRoutingFile ?? DEFAULT_ROUTING_FILE);
  const signingKey = await loadSigningKey(settings);
  const connectors: ReportConnector<ReleasedPayload>[] = [
    new LeerplichtConnector({
      signingKey: { privateJwk: signingKey.privateJwk, kid: signingKey.kid },
      endpointOf: (id) => endpointOfRecipient(table, id, schoolToday(new Date())),
      inbox,
      timeoutMs: d.leerplichtTimeoutMs,
    }),
  ];
  if (d.duoEndpointUrl !== null && d.duoClientCert && d.duoClientKey && d.duoCa) {
    if (d.duoCodeProfile !== null && d.duoCodeProfile !== LEGACY_2010_PROFILE_ID) {
      throw new ConfigurationError([
        `DUO_CODE_PROFILE: unknown profile ${d.duoCodeProfile} (known: ${LEGACY_2010_PROFILE_ID})`,
      ]);
    }
    connectors.push(
      new DuoRodConnector({
        endpoint: d.duoEndpointUrl,
        duoOin: d.duoOin,
        schoolOin: d.schoolOin,
        tls: {
          cert: await pemOf('DUO_CLIENT_CERT', d.duoClientCert),
          key: await pemOf('DUO_CLIENT_KEY', d.duoClientKey),
          ca: await pemOf('DUO_CA', d.duoCa ?? ''),
          ...(d.duoClientKeyPassphrase ? { passphrase: d.duoClientKeyPassphrase } : {}),
        },
        profile: LEGACY_2010_PROFILE,
        timeoutMs: d.duoTimeoutMs,
      }),
    );
  } else {
    logger.warn({ code: 'DUO_NOT_CONFIGURED' }, 'DUO_ENDPOINT_URL not set: DUO deliveries wait and retry');
  }
  return { connectors, router: routerFromTable(table) };
}
