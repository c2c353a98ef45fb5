import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Settings } from '#config';
import { SETTINGS } from '#config';
import { Public } from '../auth/index.js';

/** A small Dutch landing page so a newcomer knows where to click next. */
@ApiExcludeController()
@Controller()
export class ConsoleController {
  constructor(@Inject(SETTINGS) private readonly settings: Settings) {}

  @Public()
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  index(): string {
    const local = this.settings.auth.localIssuer;
    return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>ketenpoort</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;line-height:1.5;padding:0 1rem}code{background:#f3f3f3;padding:0 .25rem}</style>
</head><body>
<h1>ketenpoort</h1>
<p>De poort tussen de administratiesystemen van scholen en de verzuimketen (DUO, leerplicht, Doorstroompunt).</p>
<ul>
<li><a href="/docs">API-documentatie en uitproberen</a> (OpenAPI)</li>
<li><a href="/health/ready">Status van database en berichtenbus</a></li>
</ul>
${
  local
    ? `<h2>Demo-toegang</h2>
<p>Deze installatie draait in de ingebouwde modus met een lokale uitgever van demotokens.
Haal een token op via <a href="/v1/dev/tokens"><code>GET /v1/dev/tokens</code></a>, kies in <a href="/docs">/docs</a>
<em>Authorize</em> en plak het token van de gewenste rol (bijvoorbeeld <code>school_staff</code>).</p>`
    : '<p>Toegang vereist een token van de geconfigureerde uitgever.</p>'
}
<h2>Rondleiding</h2>
<ul>
<li>Schoolmedewerker: signalen <code>GET /v1/schools/99XX/signals</code>, conceptmeldingen
<code>GET /v1/schools/99XX/reports</code>, goedkeuren <code>POST /v1/reports/{id}/approve</code>, en de weg van een
melding door de keten (DUO-meldingsnummer, status, reden van afsluiten) <code>GET /v1/schools/99XX/reports/{id}/chain</code>.
Werkvoorraad: <code>GET /v1/deliveries/work-queue</code>; overzicht: <code>GET /v1/chain/summary</code>.</li>
<li>Leerplichtambtenaar: de meldingen voor de gemeente <code>GET /v1/leerplicht/0344/reports</code> (versleuteld) en
status terugmelden <code>POST /v1/leerplicht/0344/reports/{id}/status</code>.</li>
<li>Privacyfunctionaris: het beleid en zijn versies <code>GET /v1/privacy/policies/{id}/versions</code>, het auditlog controleren
<code>GET /v1/privacy/audit/verify</code>, inzage per leerling <code>GET /v1/pupils/{id}/access-report</code>.</li>
</ul>
<p>Modus: <code>${this.settings.mode}</code></p>
</body></html>`;
  }
}
