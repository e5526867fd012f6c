import type { TPermission } from '@opennrm/domain';
import type { ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { AccountPage } from '../features/account/AccountPage.tsx';
import { AgenciesPage } from '../features/admin/AgenciesPage.tsx';
import { SecuritySettingsPage } from '../features/admin/SecuritySettingsPage.tsx';
import { UsersPage } from '../features/admin/UsersPage.tsx';
import { CatalogueAdminPage } from '../features/catalogue/CatalogueAdminPage.tsx';
import { AuditLogPage } from '../features/audit/AuditLogPage.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { CaseListPage } from '../features/cases/CaseListPage.tsx';
import { CaseNewPage } from '../features/cases/CaseNewPage.tsx';
import { CasePage } from '../features/cases/CasePage.tsx';
import { DuplicatesPage } from '../features/duplicates/DuplicatesPage.tsx';
import { NotFoundPage } from '../features/errors/NotFoundPage.tsx';
import { HomePage } from '../features/home/HomePage.tsx';
import { ScreeningPage } from '../features/screening/ScreeningPage.tsx';
import { StatisticsPage } from '../features/statistics/StatisticsPage.tsx';
import { ExportPage } from '../features/exchange/ExportPage.tsx';
import { ImportPage } from '../features/exchange/ImportPage.tsx';
import { CoordinationReferralsPage } from '../features/coordination/CoordinationReferralsPage.tsx';
import { RulesPage } from '../features/coordination/RulesPage.tsx';
import { EmergencyReviewPage } from '../features/emergency/EmergencyReviewPage.tsx';
import { NotificationsPage } from '../features/notifications/Notifications.tsx';
import { ReferralDetailPage } from '../features/referrals/ReferralDetailPage.tsx';
import { ReferralsPage } from '../features/referrals/ReferralsPage.tsx';
import { CaseStatusPage } from '../features/status/CaseStatusPage.tsx';
import { CompliancePage } from '../features/status/CompliancePage.tsx';
import { ProtectionLookupPage } from '../features/status/ProtectionLookupPage.tsx';
import { AppLayout } from './AppLayout.tsx';
import { useCan } from './session.ts';

/** Shows the page only with the permission; otherwise the same 404 as an unknown address. */
function Guard({ permission, children }: { permission: TPermission; children: ReactNode }) {
  return useCan(permission) ? children : <NotFoundPage />;
}

/**
 * The route table. A new area adds its pages here (features/<area>/<Name>Page.tsx), wrapped in a
 * Guard with the permission its API requires; the navigation lives in app/nav.ts.
 */
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'account', element: <AccountPage /> },
      { path: 'account/security', element: <AccountPage /> },
      {
        path: 'cases',
        element: (
          <Guard permission="cases.read">
            <CaseListPage />
          </Guard>
        ),
      },
      {
        path: 'cases/new',
        element: (
          <Guard permission="cases.create">
            <CaseNewPage />
          </Guard>
        ),
      },
      {
        path: 'cases/:id',
        element: (
          <Guard permission="cases.read">
            <CasePage />
          </Guard>
        ),
      },
      {
        path: 'cases/:id/screen',
        element: (
          <Guard permission="screening.perform">
            <ScreeningPage />
          </Guard>
        ),
      },
      {
        path: 'referrals',
        element: (
          <Guard permission="cases.read">
            <ReferralsPage />
          </Guard>
        ),
      },
      {
        path: 'referrals/:id',
        element: (
          <Guard permission="cases.read">
            <ReferralDetailPage />
          </Guard>
        ),
      },
      { path: 'notifications', element: <NotificationsPage /> },
      {
        path: 'emergency-access/review',
        element: (
          <Guard permission="emergency.review">
            <EmergencyReviewPage />
          </Guard>
        ),
      },
      {
        path: 'coordination/referrals',
        element: (
          <Guard permission="coordination.read">
            <CoordinationReferralsPage />
          </Guard>
        ),
      },
      {
        path: 'rules',
        element: (
          <Guard permission="rules.read">
            <RulesPage />
          </Guard>
        ),
      },
      {
        path: 'duplicates',
        element: (
          <Guard permission="duplicates.review">
            <DuplicatesPage />
          </Guard>
        ),
      },
      {
        path: 'admin/agencies',
        element: (
          <Guard permission="agencies.manage">
            <AgenciesPage />
          </Guard>
        ),
      },
      {
        path: 'admin/users',
        element: (
          <Guard permission="users.manage">
            <UsersPage />
          </Guard>
        ),
      },
      {
        path: 'admin/security',
        element: (
          <Guard permission="settings.manage">
            <SecuritySettingsPage />
          </Guard>
        ),
      },
      {
        path: 'admin/catalogue',
        element: (
          <Guard permission="catalogue.manage">
            <CatalogueAdminPage />
          </Guard>
        ),
      },
      {
        path: 'audit',
        element: (
          <Guard permission="audit.read">
            <AuditLogPage />
          </Guard>
        ),
      },
      // Victim status (issue 5)
      {
        path: 'cases/:id/status',
        element: (
          <Guard permission="cases.read">
            <CaseStatusPage />
          </Guard>
        ),
      },
      {
        path: 'protection',
        element: (
          <Guard permission="protection.read">
            <ProtectionLookupPage />
          </Guard>
        ),
      },
      {
        path: 'coordination/compliance',
        element: (
          <Guard permission="coordination.read">
            <CompliancePage />
          </Guard>
        ),
      },
      {
        path: 'statistics',
        element: (
          <Guard permission="stats.read">
            <StatisticsPage />
          </Guard>
        ),
      },
      {
        path: 'exchange/import',
        element: (
          <Guard permission="exchange.import">
            <ImportPage />
          </Guard>
        ),
      },
      {
        path: 'exchange/export',
        element: (
          <Guard permission="exchange.export">
            <ExportPage />
          </Guard>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
