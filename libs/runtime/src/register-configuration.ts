import type { RegisterConfiguration } from '#application';
import { type Settings, loadLeerplichtRouting, loadPullSources, processEnv } from '#config';
import { DEFAULT_ROUTING_FILE } from './outbound.js';

/**
 * What the verwerkingsregister reads from the configuration (ADR 0025): the pull sources (system, board,
 * school; never their secrets), the routing table's regional bodies per recipient kind, and who hosts
 * ketenpoort. A file that cannot be read names nothing here (the pull scheduler and dispatcher report it).
 */
export function registerConfiguration(settings: Settings): RegisterConfiguration {
  let pullSources: RegisterConfiguration['pullSources'];
  try {
    pullSources = loadPullSources(settings.pullSourcesFile, processEnv()).map((s) => ({
      system: s.system,
      board: s.board,
      school: s.school,
    }));
  } catch {
    pullSources = [];
  }
  const routingBodies: Record<string, string[]> = {};
  try {
    const table = loadLeerplichtRouting(settings.delivery.leerplichtRoutingFile ?? DEFAULT_ROUTING_FILE);
    for (const body of table.bodies) (routingBodies[body.kind] ??= []).push(body.name);
  } catch {
    // no table: the register names the recipient kinds only
  }
  return {
    pullSources,
    routingBodies,
    processor: settings.privacy.processor ?? { name: null, contact: null },
  };
}
