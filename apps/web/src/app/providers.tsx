import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import type { TSessionInfo } from '@opennrm/domain';
import { Notifications, notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { setAuthEventHandler } from '../api/client.ts';
import { i18next } from '../i18n/i18n.ts';
import { router } from './router.tsx';
import { markSessionLost, SESSION_KEY } from './session.ts';

const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'md',
  headings: { sizes: { h1: { fontSize: 'clamp(1.5rem, 1.1rem + 1.6vw, 2.125rem)' } } },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false },
  },
});

// The single place that reacts to a lost session or a required 2FA enrolment, whatever call found it.
setAuthEventHandler((event) => {
  const { pathname } = router.state.location;
  if (event.kind === 'unauthenticated') {
    if (pathname === '/sign-in') return;
    // The layout sees the user gone and redirects to sign-in with `next` and this reason.
    markSessionLost(event.code === 'auth.session_expired' ? 'expired' : 'required');
    notifications.show({ color: 'yellow', message: i18next.t(`errors.${event.code}`) });
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
    queryClient.setQueryData<TSessionInfo>(SESSION_KEY, (s) => (s ? { ...s, user: null } : s));
    // Reload the anonymous session: it carries the CSRF token the sign-in form needs.
    void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
  } else {
    void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    if (pathname !== '/account/security') void router.navigate('/account/security');
  }
});

/** Theme, notifications, data cache and router. */
export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
