import { useQuery } from '@tanstack/react-query';
import type { Page, ProcessingRegister, RetentionForecastView } from '#application';
import type { ControllerDetails, DeletionReceipt, LegalHoldEvent } from '#domain';
import type { ControllerRegister, ProcessorRegister } from '#privacy';
import { api } from './client.js';

/**
 * The privacy officer's retention screen and verwerkingsregister (issue 15 items 5 and 7): the API's own types
 * (type-only imports: nothing of the server reaches the bundle).
 */
export type {
  ControllerDetails,
  ControllerRegister,
  DeletionReceipt,
  LegalHoldEvent,
  Page,
  ProcessingRegister,
  ProcessorRegister,
  RetentionForecastView,
};

export const retentionKeys = {
  all: ['retention'] as const,
  forecast: (months: number) => ['retention', 'forecast', months] as const,
  receipts: (page: number) => ['retention', 'receipts', page] as const,
  holds: (page: number) => ['retention', 'holds', page] as const,
  register: (kind: string) => ['register', kind] as const,
  registerAll: ['register'] as const,
  controller: ['register-controller'] as const,
};

export const PAGE_SIZE = 10;

export function useForecast(months: number) {
  return useQuery({
    queryKey: retentionKeys.forecast(months),
    queryFn: () => api<RetentionForecastView>(`/v1/privacy/retention/forecast?months=${months}`),
  });
}

export function useReceipts(page: number) {
  return useQuery({
    queryKey: retentionKeys.receipts(page),
    queryFn: () =>
      api<Page<DeletionReceipt>>(`/v1/privacy/retention/receipts?page=${page}&pageSize=${PAGE_SIZE}`),
  });
}

export function useHolds(page: number) {
  return useQuery({
    queryKey: retentionKeys.holds(page),
    queryFn: () =>
      api<Page<LegalHoldEvent>>(`/v1/privacy/retention/holds?page=${page}&pageSize=${PAGE_SIZE}`),
  });
}

export function useRegister<K extends 'controller' | 'processor'>(kind: K) {
  return useQuery({
    queryKey: retentionKeys.register(kind),
    queryFn: () =>
      api<(K extends 'controller' ? ControllerRegister : ProcessorRegister) & ProcessingRegister>(
        `/v1/privacy/register?kind=${kind}`,
      ),
  });
}

const holdPath = (localId: string, school: string) =>
  `/v1/pupils/${encodeURIComponent(localId)}/legal-hold` +
  (school === '' ? '' : `?school=${encodeURIComponent(school)}`);

export const holdActions = {
  place: (localId: string, school: string, reason: string) =>
    api<unknown>(holdPath(localId, school), { method: 'PUT', body: { reason } }),
  lift: (localId: string, school: string, reason: string) =>
    api<unknown>(holdPath(localId, school), { method: 'DELETE', body: { reason } }),
};

export function useControllerDetails() {
  return useQuery({
    queryKey: retentionKeys.controller,
    queryFn: () => api<ControllerDetails>('/v1/privacy/register/controller'),
  });
}

export function saveControllerDetails(details: {
  name: string;
  contact: string;
  privacyOfficer: string;
}): Promise<ControllerDetails> {
  return api<ControllerDetails>('/v1/privacy/register/controller', { method: 'PUT', body: details });
}
