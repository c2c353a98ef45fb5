#!/usr/bin/env node
// `npm start`: the gateway on the embedded default (PGlite + in-process broker) with the demo school board, and
// the chain simulator standing in for DUO and the municipalities, so approved reports really go somewhere and
// their status comes back. With DUO_ENDPOINT_URL set (a real or separate DUO), no simulator is started.
import { launchChainSimulator } from './chain-launch.mjs';

const env = process.env;
if (!env.DUO_ENDPOINT_URL && env.CHAIN_SIMULATOR !== 'off') {
  const port = env.PORT ?? '3000';
  const host = env.HOST ?? '127.0.0.1';
  const { simulator, env: chainEnv } = await launchChainSimulator({
    dataDir: env.DATA_DIR ?? './.data',
    gatewayUrl: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
  });
  for (const [key, value] of Object.entries(chainEnv)) env[key] ??= value;
  process.stderr.write(
    `chain simulator: DUO ${simulator.duoUrl}, municipalities and admin API ${simulator.url}\n`,
  );
  const stop = () => void simulator.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
await import('../dist/apps/gateway/src/main.js');
