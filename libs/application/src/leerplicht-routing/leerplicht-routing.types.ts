/**
 * The leerplicht routing table (config/leerplicht/routing.yaml, parsed by `parseLeerplichtRouting` of
 * #config): who receives a municipality's absence reports directly, and how. Dates are ISO calendar dates
 * (YYYY-MM-DD, Europe/Amsterdam); `validFrom`/`validTo` are inclusive, and an open end is absent.
 */

/** How a report reaches its recipient: pushed (webhook), fetched by the recipient (inbox), or not at all. */
export const LEERPLICHT_CHANNELS = ['webhook', 'inbox', 'none'] as const;
export type LeerplichtChannel = (typeof LEERPLICHT_CHANNELS)[number];

/** The recipient kinds a leerplicht report can have (a subset of #domain RecipientKind). */
export type LeerplichtRecipientKind = 'LEERPLICHT' | 'DOORSTROOMPUNT';

/** A public key as JSON Web Key (EC P-256, for ECDH-ES). Never a private key. */
export interface RoutingPublicJwk {
  readonly kty: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
  readonly kid?: string;
  readonly [member: string]: unknown;
}

export interface LeerplichtEndpoint {
  readonly channel: LeerplichtChannel;
  /** Required for channel `webhook`. */
  readonly webhookUrl?: string;
  /** The recipient's encryption key; required for `webhook` and `inbox`. */
  readonly publicJwk?: RoutingPublicJwk;
}

export interface EffectivePeriod {
  readonly validFrom?: string;
  readonly validTo?: string;
}

/** One municipality (gemeente) in one period; a code may appear more than once in non-overlapping periods. */
export interface RoutingMunicipality extends EffectivePeriod {
  /** 4-digit CBS gemeentecode. */
  readonly code: string;
  readonly name: string;
  /** The Doorstroompunt (RMC) region the municipality belongs to: the id of a DOORSTROOMPUNT body. */
  readonly rmcRegion?: string;
  /** After a herindeling: the municipality that took over (its code), from the day after `validTo`. */
  readonly mergedInto?: string;
  /** Absent: no direct delivery (channel `none`). */
  readonly endpoint?: LeerplichtEndpoint;
}

/** A regional body: a bureau handling leerplicht for several municipalities, or a Doorstroompunt (RMC). */
export interface RoutingBody extends EffectivePeriod {
  readonly id: string;
  readonly name: string;
  readonly kind: LeerplichtRecipientKind;
  readonly endpoint?: LeerplichtEndpoint;
}

export const ARRANGEMENT_KINDS = ['GEMEENSCHAPPELIJKE_REGELING', 'ALTERNATIEVE_ROUTERING'] as const;
export type ArrangementKind = (typeof ARRANGEMENT_KINDS)[number];

/** A joint arrangement or alternative routing: `body` handles these municipalities' leerplicht reports. */
export interface RoutingArrangement extends EffectivePeriod {
  readonly id: string;
  readonly kind: ArrangementKind;
  readonly body: string;
  readonly municipalities: readonly string[];
}

export interface LeerplichtRoutingTable {
  readonly version: string;
  /** Age range (inclusive, in whole years on the report date) routed to the Doorstroompunt. */
  readonly doorstroompunt: { readonly minAge: number; readonly maxAge: number };
  readonly municipalities: readonly RoutingMunicipality[];
  readonly bodies: readonly RoutingBody[];
  readonly arrangements: readonly RoutingArrangement[];
}
