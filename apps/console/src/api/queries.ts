import { useQuery } from '@tanstack/react-query';
import { api, setCsrfToken } from './client.js';
import type {
  Delivery,
  PupilOverview,
  Report,
  ReportPreview,
  ReportStatusChange,
  SendingPartyView,
  SessionState,
  StoredReasonMapping,
  StoredSignal,
  UnmappedReason,
} from './types.js';

export const keys = {
  session: ['session'] as const,
  reports: (school: string) => ['reports', school] as const,
  preview: (school: string, id: string) => ['preview', school, id] as const,
  chain: (school: string, id: string) => ['chain', school, id] as const,
  signals: (school: string) => ['signals', school] as const,
  summary: ['chain', 'summary'] as const,
  workQueue: ['deliveries', 'work-queue'] as const,
  deadLetters: ['deliveries', 'dead-letters'] as const,
  unmapped: ['quarantine', 'unmapped'] as const,
  mapping: (school: string, system: string) => ['mapping', school, system] as const,
  sendingParties: ['sending-parties'] as const,
  pupil: (school: string, localId: string, from = '', to = '') =>
    ['pupil', school, localId, from, to] as const,
};

/** The board's sending parties (board administrator): certificates, OINs and the schools each sends for. */
export function useSendingParties() {
  return useQuery({
    queryKey: keys.sendingParties,
    queryFn: () => api<{ items: SendingPartyView[] }>('/v1/sending-parties'),
  });
}

export function useSession() {
  return useQuery({
    queryKey: keys.session,
    queryFn: async () => {
      const session = await api<SessionState>('/auth/session');
      setCsrfToken(session.signedIn ? session.csrfToken : null);
      return session;
    },
    staleTime: 60_000,
  });
}

export function useReports(school: string) {
  return useQuery({
    queryKey: keys.reports(school),
    queryFn: () => api<{ items: Report[] }>(`/v1/schools/${encodeURIComponent(school)}/reports`),
  });
}

export function useSignals(school: string) {
  return useQuery({
    queryKey: keys.signals(school),
    queryFn: () =>
      api<{ items: StoredSignal[] }>(`/v1/schools/${encodeURIComponent(school)}/signals?status=OPEN`),
    staleTime: 60_000,
  });
}

export function usePreview(school: string, id: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.preview(school, id),
    queryFn: () =>
      api<ReportPreview>(
        `/v1/schools/${encodeURIComponent(school)}/reports/${encodeURIComponent(id)}/preview`,
      ),
    enabled,
  });
}

/** The chain follows itself: refreshed every few seconds while something is still on its way. */
export function useChain(school: string, id: string) {
  return useQuery({
    queryKey: keys.chain(school, id),
    queryFn: () =>
      api<{ report: Report; deliveries: Delivery[]; history: ReportStatusChange[] }>(
        `/v1/schools/${encodeURIComponent(school)}/reports/${encodeURIComponent(id)}/chain`,
      ),
    refetchInterval: (query) => {
      const status = query.state.data?.report.status;
      return status && ['APPROVED', 'QUEUED', 'SENT'].includes(status) ? 2_000 : false;
    },
  });
}

export function useWorkQueue() {
  return useQuery({
    queryKey: keys.workQueue,
    queryFn: () => api<{ items: Delivery[] }>('/v1/deliveries/work-queue'),
  });
}

export function useDeadLetters() {
  return useQuery({
    queryKey: keys.deadLetters,
    queryFn: () => api<{ items: Delivery[] }>('/v1/deliveries/dead-letters'),
  });
}

export function useUnmapped() {
  return useQuery({
    queryKey: keys.unmapped,
    queryFn: () => api<{ items: UnmappedReason[] }>('/v1/quarantine/unmapped'),
  });
}

export function useMapping(school: string, system: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.mapping(school, system),
    queryFn: () =>
      api<{ mapping: StoredReasonMapping | null }>(
        `/v1/mappings/${encodeURIComponent(system)}?school=${encodeURIComponent(school)}`,
      ),
    enabled,
  });
}

/** Where the board's reports stand, in counts (GET /v1/chain/summary). */
export interface ChainSummary {
  readonly reports: Readonly<Record<string, number>> & { readonly registeredAtDuo: number };
  readonly deliveries: Readonly<Record<string, number>>;
}

export function useChainSummary() {
  return useQuery({ queryKey: keys.summary, queryFn: () => api<ChainSummary>('/v1/chain/summary') });
}

/** The pupil page (staff of the pupil's school only, ADR 0019): who, the weeks, the windows, evidence, reports. */
export function usePupilOverview(
  school: string,
  localId: string,
  enabled = true,
  period: { readonly from?: string; readonly to?: string } = {},
) {
  const query = new URLSearchParams();
  if (period.from) query.set('from', period.from);
  if (period.to) query.set('to', period.to);
  const suffix = query.size > 0 ? `?${query.toString()}` : '';
  return useQuery({
    queryKey: keys.pupil(school, localId, period.from, period.to),
    queryFn: () =>
      api<PupilOverview>(
        `/v1/schools/${encodeURIComponent(school)}/pupils/${encodeURIComponent(localId)}/overview${suffix}`,
      ),
    enabled,
    staleTime: 60_000,
  });
}
