import 'reflect-metadata';
import { processEnv } from '#config';
import { startChainSimulator } from './chain-simulator.js';

/**
 * `node dist/apps/chain-simulator/src/main.js`: DUO's register and municipal leerplicht systems for development,
 * demos and tests. Settings from the environment (see README.md); prints one JSON line when ready.
 */
const environment = processEnv();

function env(name: string): string | undefined {
  const value = environment[name];
  return value === undefined || value === '' ? undefined : value;
}

function int(name: string): number | undefined {
  const raw = env(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`chain-simulator: ${name} must be a non-negative integer\n`);
    process.exit(2);
  }
  return value;
}

/**
 * CHAIN_SIM_MUNICIPALITIES: comma-separated CBS codes or body ids; `none`: DUO only. Unset: 0344 when the simulator
 * knows where ketenpoort's signing keys are (CHAIN_SIM_GATEWAY_URL or CHAIN_SIM_KETENPOORT_JWKS_URL), else DUO only
 * (a municipality could not verify a single report).
 */
function municipalities(): string[] {
  const knowsKeys =
    env('CHAIN_SIM_GATEWAY_URL') !== undefined || env('CHAIN_SIM_KETENPOORT_JWKS_URL') !== undefined;
  const raw = env('CHAIN_SIM_MUNICIPALITIES') ?? (knowsKeys ? '0344' : 'none');
  if (raw === 'none') return [];
  return raw
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

async function main(): Promise<void> {
  const simulator = await startChainSimulator({
    host: env('CHAIN_SIM_HOST') ?? '127.0.0.1',
    port: int('CHAIN_SIM_PORT') ?? 0,
    duoPort: int('CHAIN_SIM_DUO_PORT') ?? 0,
    pkiDir: env('CHAIN_SIM_PKI_DIR') ?? './.data/chain-simulator-pki',
    municipalities: municipalities(),
    ...(env('CHAIN_SIM_GATEWAY_URL') ? { gatewayUrl: env('CHAIN_SIM_GATEWAY_URL') } : {}),
    ...(env('CHAIN_SIM_GATEWAY_TOKEN') ? { gatewayToken: env('CHAIN_SIM_GATEWAY_TOKEN') } : {}),
    ...(env('CHAIN_SIM_KETENPOORT_JWKS_URL')
      ? { ketenpoortJwksUrl: env('CHAIN_SIM_KETENPOORT_JWKS_URL') }
      : {}),
    ...(env('CHAIN_SIM_DUO_OIN') ? { duoOin: env('CHAIN_SIM_DUO_OIN') } : {}),
    ...(int('CHAIN_SIM_DUO_STEP_MS') !== undefined ? { duoStepMs: int('CHAIN_SIM_DUO_STEP_MS') } : {}),
    ...(int('CHAIN_SIM_POLL_MS') !== undefined ? { pollIntervalMs: int('CHAIN_SIM_POLL_MS') } : {}),
    ...(int('CHAIN_SIM_ADVANCE_MS') !== undefined ? { advanceMs: int('CHAIN_SIM_ADVANCE_MS') } : {}),
    ...(int('CHAIN_SIM_SEED') !== undefined ? { seed: int('CHAIN_SIM_SEED') } : {}),
  });
  const keys = Object.fromEntries(
    municipalities().map((code) => [code, simulator.municipalities.publicJwkOf(code)]),
  );
  process.stdout.write(
    `${JSON.stringify({
      event: 'ready',
      duoUrl: simulator.duoUrl,
      url: simulator.url,
      pkiDir: simulator.pkiDir,
      clientOin: simulator.clientOin,
      municipalityKeys: keys,
    })}\n`,
  );
  const stop = (): void => {
    void simulator.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`chain-simulator: start-up failed: ${(error as Error).message}\n`);
  process.exit(1);
});
