import type { Settings } from '#config';
import { ROLES } from '#domain';

/** Tells a newcomer, on stderr so the JSON log stays clean, where the console is and how to get a token per role. */
export function printDemoAccess(url: string, settings: Pick<Settings, 'mode' | 'amqpUrl'>): void {
  const database = settings.mode === 'embedded' ? 'ingebouwde PostgreSQL (PGlite)' : 'PostgreSQL';
  const broker = settings.amqpUrl === null ? 'interne berichtenbus' : 'RabbitMQ';
  const lines = [
    '',
    `ketenpoort draait op ${url} (${database} + ${broker})`,
    `  Console:         ${url}/  (aanmelden als demogebruiker, bijvoorbeeld de schoolmedewerker)`,
    `  API + proberen:  ${url}/docs`,
    `  Gereed?          ${url}/health/ready`,
    '',
    'Demotoken per rol (plakken bij "Authorize" in /docs, of als Authorization: Bearer <token>):',
    ...ROLES.map(
      (role) =>
        `  ${role.padEnd(24)} curl -s -X POST ${url}/v1/dev/tokens -H 'content-type: application/json' -d '{"role":"${role}"}'`,
    ),
    `  alle rollen tegelijk:    curl -s ${url}/v1/dev/tokens`,
    '  (daarin ook een tweede privacyfunctionaris, demo-privacy-officer-2: het vier-ogenprincipe bij het',
    '   goedkeuren van privacybeleid; in de console: "Demo: Privacyfunctionaris (FG) 2")',
    '  (en een tweede leerplichtambtenaar, demo-leerplicht-officer-bunnik: gemeente 0312 wordt in de demo door een',
    '   persoon behandeld; de demosleutel staat op de demo-aanmeldpagina, de meldingen leest u in de console onder /gemeente)',
    '',
  ];
  process.stderr.write(lines.join('\n') + '\n');
}
