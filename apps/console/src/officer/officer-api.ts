import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { api } from '../api/client.js';
import {
  type CaseNote,
  type DecryptedReport,
  type LoadedKey,
  currentKey,
  decryptNote,
  decryptReport,
  subscribeKey,
} from './key-store.js';

/** One inbox entry: the ciphertext and the routing fields kept in clear beside it (ADR 0023). */
export interface InboxItem {
  readonly reportId: string;
  readonly jwe: string;
  readonly storedAt: string;
  readonly operation: string | null;
  readonly kind: string | null;
  readonly school: string | null;
  readonly locationName: string | null;
  readonly periodBegin: string | null;
  readonly periodEnd: string | null;
  readonly ageGroup: string | null;
  readonly status: string | null;
  readonly statusAt: string | null;
}

export interface OfficerHistoryEntry {
  readonly status: string;
  readonly statusLabel: string;
  readonly at: string;
  readonly source: 'DUO' | 'LEERPLICHT';
  readonly closingReason: string | null;
  readonly closingExplanation: string | null;
  readonly contact: string | null;
}

export interface StoredCaseNote {
  readonly id: string;
  readonly reportId: string;
  readonly jwe: string;
  readonly officer: string;
  readonly createdAt: string;
}

export interface OfficerReportDetail {
  readonly reportId: string;
  readonly status: string | null;
  readonly statusLabel: string | null;
  readonly entries: readonly InboxItem[];
  readonly history: readonly OfficerHistoryEntry[];
  readonly caseNotes: readonly StoredCaseNote[];
}

export interface InboxFilter {
  readonly school?: string;
  readonly kind?: string;
  readonly status?: string;
  readonly ageGroup?: string;
}

export const officerKeys = {
  inbox: (code: string, filter: InboxFilter) => ['leerplicht', code, 'inbox', filter] as const,
  report: (code: string, id: string) => ['leerplicht', code, 'report', id] as const,
};

export function useInbox(code: string, filter: InboxFilter) {
  const query = new URLSearchParams(
    Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  ).toString();
  return useQuery({
    queryKey: officerKeys.inbox(code, filter),
    queryFn: () =>
      api<{ items: InboxItem[] }>(
        `/v1/leerplicht/${encodeURIComponent(code)}/reports${query ? `?${query}` : ''}`,
      ),
    enabled: code !== '',
  });
}

export function useOfficerReport(code: string, id: string) {
  return useQuery({
    queryKey: officerKeys.report(code, id),
    queryFn: () =>
      api<OfficerReportDetail>(
        `/v1/leerplicht/${encodeURIComponent(code)}/reports/${encodeURIComponent(id)}`,
      ),
  });
}

/** The key loaded in this tab (re-renders when it is chosen or forgotten). */
export function useLoadedKey(): LoadedKey | null {
  return useSyncExternalStore(subscribeKey, currentKey);
}

/** Decrypts ciphertexts in the browser as soon as a key is loaded; keyed by the JWE itself. */
export function useDecrypted(
  jwes: readonly string[],
  key: LoadedKey | null,
): ReadonlyMap<string, DecryptedReport> {
  const [done, setDone] = useState<ReadonlyMap<string, DecryptedReport>>(new Map());
  const joined = jwes.join('|');
  useEffect(() => {
    let cancelled = false;
    if (key === null) {
      setDone(new Map());
      return;
    }
    void Promise.all(jwes.map(async (jwe) => [jwe, await decryptReport(jwe, key)] as const)).then((pairs) => {
      if (!cancelled) setDone(new Map(pairs));
    });
    return () => {
      cancelled = true;
    };
  }, [joined, key]);
  return done;
}

export function useDecryptedNotes(
  notes: readonly StoredCaseNote[],
  key: LoadedKey | null,
): ReadonlyMap<string, CaseNote | null> {
  const [done, setDone] = useState<ReadonlyMap<string, CaseNote | null>>(new Map());
  const joined = notes.map((n) => n.id).join('|');
  useEffect(() => {
    let cancelled = false;
    if (key === null) {
      setDone(new Map());
      return;
    }
    void Promise.all(notes.map(async (n) => [n.id, await decryptNote(n.jwe, key)] as const)).then((pairs) => {
      if (!cancelled) setDone(new Map(pairs));
    });
    return () => {
      cancelled = true;
    };
  }, [joined, key]);
  return done;
}
