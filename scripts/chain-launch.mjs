// Shared by `npm start` (scripts/start.mjs) and `npm run demo` (scripts/demo.mjs): starts the chain simulator
// (DUO's register over two-way TLS, and the municipalities of the shipped routing table) in this process, and
// returns the gateway settings that point ketenpoort at it. Needs `npm run build` first.
import { writeFileSync } from 'node:fs';
import { setInterval } from 'node:timers';
import { join, resolve } from 'node:path';

const dist = (path) => new URL(`../dist/${path}`, import.meta.url).href;

/**
 * @param {{ dataDir: string, gatewayUrl: string, fast?: boolean }} options `fast`: statuses move within
 *   seconds (the demo); otherwise within minutes, as a person clicking through would like to see them.
 */
export async function launchChainSimulator({ dataDir, gatewayUrl, fast = false }) {
  const { startChainSimulator, PKI_FILES } = await import(
    dist('apps/chain-simulator/src/chain-simulator.js')
  );
  const { loadSettings, loadLeerplichtRouting } = await import(dist('libs/config/src/index.js'));
  const { loadSigningKey, DEFAULT_ROUTING_FILE } = await import(dist('libs/runtime/src/index.js'));
  const { directRecipients, schoolToday } = await import(dist('libs/application/src/index.js'));
  const { LocalIssuer, DEMO_HUMAN_MUNICIPALITY, openDemoMunicipalityKey } = await import(
    dist('apps/gateway/src/auth/index.js')
  );

  const dir = resolve(dataDir);
  const settings = loadSettings({ DATA_DIR: dir, AUTH_LOCAL_ISSUER: 'true' });
  const table = loadLeerplichtRouting(DEFAULT_ROUTING_FILE);
  // One municipality is handled by a person (issue 14): its demo officer reads its inbox in the console with the
  // demo key (ADR 0023); the simulator plays every other recipient with a direct channel.
  const human = await openDemoMunicipalityKey(dir);
  const played = directRecipients(table, schoolToday(new Date())).filter(
    (id) => id !== DEMO_HUMAN_MUNICIPALITY,
  );
  // The municipalities' officers call ketenpoort back (status, inbox) with a token scoped to their own codes.
  const issuer = await LocalIssuer.open(settings);
  // Tokens live at most AUTH_MAX_TOKEN_LIFETIME_SECONDS (12 h): the simulator's is renewed halfway, for as long
  // as `npm start` runs.
  const lifetime = settings.auth.maxTokenLifetimeSeconds;
  const issueOfficerToken = () =>
    issuer.issue(
      { role: 'leerplicht_officer', sub: 'chain-simulator', municipalities: played },
      { ttlSeconds: lifetime },
    );
  let officerToken = await issueOfficerToken();
  const renewal = setInterval(
    () => {
      issueOfficerToken()
        .then((token) => {
          officerToken = token;
        })
        .catch(() => undefined);
    },
    (lifetime * 1000) / 2,
  );
  renewal.unref();
  const signing = await loadSigningKey(settings);
  const step = fast ? 400 : 60_000;
  const simulator = await startChainSimulator({
    pkiDir: join(dir, 'chain-simulator-pki'),
    municipalities: played,
    gatewayUrl,
    gatewayToken: () => officerToken,
    ketenpoortPublicJwk: signing.publicJwk,
    duoStepMs: step,
    pollIntervalMs: fast ? 300 : 30_000,
    advanceMs: step,
    seed: 2026,
  });
  // The shipped routing table, with the simulated municipalities' keys and webhook addresses filled in, and the
  // demo municipality's own public key.
  const withSimulator = (entry, id) =>
    entry.endpoint && id === DEMO_HUMAN_MUNICIPALITY
      ? { ...entry, endpoint: { channel: 'inbox', publicJwk: human.publicJwk } }
      : entry.endpoint && played.includes(id)
        ? {
            ...entry,
            endpoint: {
              ...entry.endpoint,
              publicJwk: simulator.municipalities.publicJwkOf(id),
              ...(entry.endpoint.channel === 'webhook'
                ? { webhookUrl: `${simulator.url}/leerplicht/${encodeURIComponent(id)}/reports` }
                : {}),
            },
          }
        : entry;
  const routing = {
    ...table,
    municipalities: table.municipalities.map((m) => withSimulator(m, m.code)),
    bodies: table.bodies.map((b) => withSimulator(b, b.id)),
  };
  const routingFile = join(dir, 'chain-simulator-routing.json');
  writeFileSync(routingFile, `${JSON.stringify(routing, null, 2)}\n`);
  const pki = join(dir, 'chain-simulator-pki');
  return {
    simulator,
    env: {
      DUO_ENDPOINT_URL: simulator.duoUrl,
      DUO_CLIENT_CERT: join(pki, PKI_FILES.clientCert),
      DUO_CLIENT_KEY: join(pki, PKI_FILES.clientKey),
      DUO_CA: join(pki, PKI_FILES.ca),
      SCHOOL_OIN: simulator.clientOin,
      LEERPLICHT_ROUTING: routingFile,
      DUO_STATUS_POLL_MS: String(fast ? 300 : 30_000),
      ...(fast
        ? { DELIVERY_RETRY_BASE_MS: '200', DELIVERY_RETRY_MAX_MS: '2000', DELIVERY_SWEEP_MS: '100' }
        : {}),
    },
  };
}
