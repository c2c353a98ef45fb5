import { useQuery } from '@tanstack/react-query';
import type { AccessReport, AuditLogItem, AuditLogPage } from '#application';
import type { BoardChainVerification, PupilSearchHit } from '#domain';
import { api } from './client.js';

/**
 * The privacy officer's audit log and inzage (issue 15 items 4 and 6): the API's answers, typed by the
 * server's own shapes (type-only imports: nothing of the server reaches the bundle).
 */
export type { AccessReport, AuditLogItem, AuditLogPage, BoardChainVerification, PupilSearchHit };

/** The audit log's filters as the address bar keeps them (empty: not filtered). */
export interface AuditFilters {
  readonly pupil: string;
  readonly school: string;
  readonly recipient: string;
  readonly purpose: string;
  readonly reportKind: string;
  readonly decision: string;
  readonly kind: string;
  readonly from: string;
  readonly to: string;
}

export const AUDIT_FILTER_KEYS = [
  'pupil',
  'school',
  'recipient',
  'purpose',
  'reportKind',
  'decision',
  'kind',
  'from',
  'to',
] as const satisfies readonly (keyof AuditFilters)[];

export const auditKeys = {
  log: (filters: AuditFilters, page: number) => ['audit', 'log', filters, page] as const,
  verify: ['audit', 'verify'] as const,
  search: (q: string) => ['pupils', 'search', q] as const,
  report: (school: string, localId: string) => ['access-report', school, localId] as const,
};

/** Rows per page of the audit log. */
export const AUDIT_PAGE_SIZE = 25;

export function accessReportPath(school: string, localId: string): string {
  return `/v1/pupils/${encodeURIComponent(localId)}/access-report?school=${encodeURIComponent(school)}&format=json`;
}

export function useAuditLog(filters: AuditFilters, page: number) {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  params.set('page', String(page));
  params.set('pageSize', String(AUDIT_PAGE_SIZE));
  return useQuery({
    queryKey: auditKeys.log(filters, page),
    // No placeholder: rows of other filters must never stand under the new ones while they load.
    queryFn: () => api<AuditLogPage>(`/v1/privacy/audit?${params.toString()}`),
  });
}

/** The board's chain walked from its checkpoint: valid, or the first broken entry. */
export function useAuditVerification() {
  return useQuery({
    queryKey: auditKeys.verify,
    queryFn: () => api<BoardChainVerification>('/v1/privacy/audit/verify'),
  });
}

/** The board's pupils by name or number (a privacy officer searches the whole board, ADR 0024). */
export function usePupilSearch(q: string) {
  return useQuery({
    queryKey: auditKeys.search(q),
    queryFn: () => api<{ items: PupilSearchHit[] }>(`/v1/pupils/search?q=${encodeURIComponent(q)}`),
    enabled: q.trim().length > 0,
  });
}

export function useAccessReport(school: string, localId: string) {
  return useQuery({
    queryKey: auditKeys.report(school, localId),
    queryFn: () => api<AccessReport>(accessReportPath(school, localId)),
  });
}
