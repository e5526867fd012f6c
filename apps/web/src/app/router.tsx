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
import { NotFoundPage } from '../features/errors/NotFoundPage.tsx';
import { HomePage } from '../features/home/HomePage.tsx';
import { ScreeningPage } from '../features/screening/ScreeningPage.tsx';
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
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
