import { useQuery } from '@tanstack/react-query';
import type { PolicyListing, PolicyVersionSummary } from '#application';
import type { PolicyStatus, ProvenInvariantResult as ProvenInvariant } from '#domain';
import { api } from './client.js';

/**
 * The privacy officer's policy workspace (issue 15 items 1–3, ADR 0022): the API's answers. Shapes the server
 * already names are its own types (type-only imports: nothing of the server reaches the bundle).
 */
export type { PolicyListing, PolicyStatus, PolicyVersionSummary, ProvenInvariant };

export interface ProofFailure {
  readonly invariant: string;
  readonly source: 'floor' | 'policy';
  readonly message: string;
  readonly violations: number;
  readonly counterexample: {
    readonly request: {
      readonly recipient: { readonly kind: string };
      readonly purpose: string;
      readonly reportKind?: string;
      readonly pupil: { readonly ageAtDate: number };
      readonly categories?: readonly string[];
    };
    readonly at: string;
    readonly field: string;
    readonly releasedBy: string;
  };
}

export interface PolicyProof {
  readonly holds: boolean;
  readonly combinationsChecked: number;
  readonly invariants: readonly ProvenInvariant[];
  readonly failing: readonly ProofFailure[];
}

export interface Simulation {
  readonly baseline: { readonly id: string; readonly version: string; readonly source: 'board' | 'default' };
  readonly baselineText: string;
  readonly proof: PolicyProof;
  readonly droppedInvariants: readonly string[];
  readonly domain: {
    readonly combinationsChecked: number;
    readonly combinationsChanged: number;
    readonly newlyReleased: Readonly<Record<string, Readonly<Record<string, number>>>>;
    readonly newlyWithheld: Readonly<Record<string, Readonly<Record<string, number>>>>;
  };
  readonly days: number;
  readonly requests: number;
  readonly changed: number;
  readonly effectChanged: number;
  readonly byRecipient: Readonly<
    Record<
      string,
      {
        readonly newlyReleased: Readonly<Record<string, number>>;
        readonly newlyWithheld: Readonly<Record<string, number>>;
      }
    >
  >;
}

export interface TextIssue {
  readonly field: string;
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export interface PolicyDraftCheck {
  readonly valid: boolean;
  readonly issues: readonly TextIssue[];
  readonly policy: { readonly id: string; readonly version: string; readonly effectiveFrom: string } | null;
  readonly versionExists: boolean;
  readonly proof: PolicyProof | null;
  readonly simulation: Simulation | null;
}

export interface StoredPolicyVersion extends Omit<PolicyVersionSummary, 'tookEffectOn' | 'proofHolds'> {
  readonly policyId: string;
  readonly text: string;
  readonly proof: PolicyProof | null;
}

export interface EffectivePolicy {
  readonly source: 'board' | 'default';
  readonly policyId: string;
  readonly version: string;
  readonly text: string;
  readonly note?: string;
}

export const policyKeys = {
  listing: ['policies'] as const,
  effective: (id: string) => ['policies', 'effective', id] as const,
  version: (id: string, version: string) => ['policies', id, version] as const,
  simulation: (id: string, version: string) => ['policies', id, version, 'simulation'] as const,
  overview: ['policies', 'overview'] as const,
};

const path = (id: string, version?: string) =>
  `/v1/privacy/policies/${encodeURIComponent(id)}` +
  (version === undefined ? '' : `/versions/${encodeURIComponent(version)}`);

export function usePolicyListing() {
  return useQuery({
    queryKey: policyKeys.listing,
    queryFn: () => api<PolicyListing>('/v1/privacy/policies'),
  });
}

export function useEffectivePolicy(id: string | undefined) {
  return useQuery({
    queryKey: policyKeys.effective(id ?? ''),
    queryFn: () => api<EffectivePolicy>(`${path(id!)}/effective`),
    enabled: id !== undefined,
  });
}

export function usePolicyVersion(id: string, version: string) {
  return useQuery({
    queryKey: policyKeys.version(id, version),
    queryFn: () => api<StoredPolicyVersion>(path(id, version)),
  });
}

export function usePolicySimulation(id: string, version: string, enabled: boolean) {
  return useQuery({
    queryKey: policyKeys.simulation(id, version),
    queryFn: () => api<Simulation>(`${path(id, version)}/simulate`, { method: 'POST' }),
    enabled,
    staleTime: 60_000,
  });
}

/** The editor's check: validated, proven and simulated by the server, nothing stored. */
export function checkPolicyText(text: string): Promise<PolicyDraftCheck> {
  return api<PolicyDraftCheck>('/v1/privacy/policies/validate', { method: 'POST', body: { text } });
}

export const policyActions = {
  store: (text: string) =>
    api<StoredPolicyVersion>('/v1/privacy/policies', { method: 'POST', body: { text } }),
  submit: (id: string, version: string) =>
    api<StoredPolicyVersion>(`${path(id, version)}/submit`, { method: 'POST' }),
  approve: (id: string, version: string) =>
    api<StoredPolicyVersion>(`${path(id, version)}/approve`, { method: 'POST' }),
  reject: (id: string, version: string, reason: string) =>
    api<StoredPolicyVersion>(`${path(id, version)}/reject`, { method: 'POST', body: { reason } }),
};

export interface PolicyOverview {
  readonly id: string;
  readonly version: string;
  readonly title: string | null;
  readonly effectiveFrom: string;
  readonly source: 'board' | 'default';
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly createdBy: string | null;
  readonly flows: readonly {
    readonly rule: string;
    readonly recipient: string;
    readonly recipientName: string;
    readonly purpose: string;
    readonly purposeDescription: string;
    readonly reportKinds: readonly string[] | null;
    readonly fields: readonly string[];
    readonly withheldWhen: readonly { readonly fields: readonly string[]; readonly reason: string }[];
    readonly conditions: readonly string[];
    readonly categories: readonly string[] | null;
    readonly reason: string;
    readonly legalBasis: string;
    readonly retentionText: string | null;
  }[];
  readonly retention: readonly { readonly category: string; readonly periods: readonly string[] }[];
  readonly floor: readonly {
    readonly id: string;
    readonly description: string;
    readonly ground: string;
    readonly groundConfirmed: boolean;
  }[];
  readonly ownInvariants: readonly { readonly id: string; readonly description: string }[];
}

export function usePolicyOverview() {
  return useQuery({
    queryKey: policyKeys.overview,
    queryFn: () => api<PolicyOverview>('/v1/privacy/policies/overview'),
  });
}
