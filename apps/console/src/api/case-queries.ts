import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { CaseActionResult, ReportCaseDetail, Worklist, WorklistRow } from '#application';
import type { DailyCheckLesson, DueState } from '#domain';
import { api } from './client.js';

// The werkvoorraad and cases (ADR 0018): API shapes and queries, kept apart from queries.ts so other screens'
// changes do not meet these.
export type { CaseActionResult, DailyCheckLesson, DueState, ReportCaseDetail, Worklist, WorklistRow };

export interface DailyChecks {
  readonly items: readonly DailyCheckLesson[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

export const caseKeys = {
  worklist: (query: string) => ['worklist', query] as const,
  dailyChecks: (page: number) => ['worklist', 'daily-checks', page] as const,
  case: (id: string) => ['case', id] as const,
  ofPupil: (school: string, pupil: string) => ['cases', school, pupil] as const,
};

/** The werkvoorraad for a query string of filters and paging (as in the address bar). */
export function useWorklist(query: string) {
  return useQuery({
    queryKey: caseKeys.worklist(query),
    queryFn: () => api<Worklist>(`/v1/worklist${query ? `?${query}` : ''}`),
    placeholderData: keepPreviousData,
  });
}

export function useDailyChecks(page: number, pageSize = 10) {
  return useQuery({
    queryKey: caseKeys.dailyChecks(page),
    queryFn: () => api<DailyChecks>(`/v1/worklist/daily-checks?page=${page}&pageSize=${pageSize}`),
    placeholderData: keepPreviousData,
  });
}

export function useCase(id: string) {
  return useQuery({
    queryKey: caseKeys.case(id),
    queryFn: () => api<ReportCaseDetail>(`/v1/cases/${encodeURIComponent(id)}`),
  });
}

/** A pupil's cases at a school, newest episode first (the pupil page's case history). */
export function usePupilCases(school: string, pupil: string) {
  return useQuery({
    queryKey: caseKeys.ofPupil(school, pupil),
    queryFn: () =>
      api<{ items: readonly ReportCaseDetail[] }>(
        `/v1/cases?school=${encodeURIComponent(school)}&pupil=${encodeURIComponent(pupil)}`,
      ),
  });
}
