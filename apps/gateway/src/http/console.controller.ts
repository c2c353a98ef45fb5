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
<p>Modus: <code>${this.settings.mode}</code></p>
</body></html>`;
  }
}
