import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider, createBrowserRouter } from 'react-router';
import { ApiError } from './api/client.js';
import { SignedInLayout } from './components/layout.js';
import { CasePage } from './screens/case.js';
import { ChainPage } from './screens/chain.js';
import { HomePage } from './screens/home.js';
import { ImportPage } from './screens/import.js';
import { PupilPage } from './screens/pupil.js';
import { QuarantinePage } from './screens/quarantine.js';
import { ReportPage } from './screens/report.js';
import { ReportsPage } from './screens/reports.js';
import { SendingPartiesPage } from './screens/sending-parties.js';
import { WorklistPage } from './screens/worklist.js';
import { NotFoundPage, SignInPage, SignedOutPage } from './screens/sign-in.js';

/** Routes mirror the school staff's tasks (Dutch paths, as people read them in the address bar). */
const router = createBrowserRouter([
  { path: '/aanmelden', element: <SignInPage /> },
  { path: '/afgemeld', element: <SignedOutPage /> },
  {
    element: <SignedInLayout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'werkvoorraad', element: <WorklistPage /> },
      { path: 'dossiers/:id', element: <CasePage /> },
      { path: 'meldingen', element: <ReportsPage /> },
      { path: 'meldingen/:school/:id', element: <ReportPage /> },
      { path: 'leerlingen/:school/:localId', element: <PupilPage /> },
      { path: 'keten', element: <ChainPage /> },
      { path: 'quarantaine', element: <QuarantinePage /> },
      { path: 'importeren', element: <ImportPage /> },
      {
        path: 'analyse',
        // The chart library loads with the analysis only, not with every screen.
        lazy: async () => ({ Component: (await import('./screens/analysis.js')).AnalysisPage }),
      },
      { path: 'verzendende-partijen', element: <SendingPartiesPage /> },
      // The leerplicht officer's workspace (issue 14): jose decrypts in the browser, loaded with these screens only.
      {
        path: 'gemeente',
        lazy: async () => ({ Component: (await import('./officer/inbox-page.js')).InboxPage }),
      },
      {
        path: 'gemeente/:code/:id',
        lazy: async () => ({ Component: (await import('./officer/report-page.js')).OfficerReportPage }),
      },
      // The privacy officer's screens load on first visit (CodeMirror is large; school staff never need it).
      {
        path: 'privacy/beleid',
        lazy: async () => ({ Component: (await import('./screens/privacy/policy-page.js')).PolicyPage }),
      },
      {
        path: 'privacy/beleid/concept',
        lazy: async () => ({
          Component: (await import('./screens/privacy/policy-editor.js')).PolicyEditorPage,
        }),
      },
      {
        path: 'privacy/beleid/:id/:version',
        lazy: async () => ({
          Component: (await import('./screens/privacy/policy-review.js')).PolicyReviewPage,
        }),
      },
      {
        path: 'privacy/auditlog',
        lazy: async () => ({ Component: (await import('./screens/privacy/audit-log.js')).AuditLogPage }),
      },
      {
        path: 'privacy/inzage',
        lazy: async () => ({ Component: (await import('./screens/privacy/inzage.js')).InzageSearchPage }),
      },
      {
        path: 'privacy/inzage/:school/:localId',
        lazy: async () => ({ Component: (await import('./screens/privacy/inzage.js')).InzagePage }),
      },
      {
        path: 'privacy/bewaartermijnen',
        lazy: async () => ({
          Component: (await import('./screens/privacy/retention-page.js')).RetentionPage,
        }),
      },
      {
        path: 'privacy/verwerkingsregister',
        lazy: async () => ({
          Component: (await import('./screens/privacy/register-page.js')).RegisterPage,
        }),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused or missing answer does not get better by asking again at once.
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// A session that ends while the console is open sends the person to sign in again.
queryClient.getQueryCache().subscribe((event) => {
  const error: unknown = event.query.state.error;
  const [key] = event.query.queryKey as readonly unknown[];
  if (error instanceof ApiError && error.status === 401 && key !== 'session') {
    void queryClient.invalidateQueries({ queryKey: ['session'] });
  }
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
