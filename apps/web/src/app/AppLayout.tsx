import { AppShell, Burger, Center, Group, Loader, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { DemoBanner } from '../components/DemoBanner.tsx';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { UserMenu } from '../components/UserMenu.tsx';
import { NotificationBell } from '../features/notifications/Notifications.tsx';
import { IncomingReferralsBadge } from '../features/referrals/ReferralsPage.tsx';
import { applyLocale } from '../i18n/i18n.ts';
import { NAV_ITEMS } from './nav.ts';
import { sessionLostReason, useSession } from './session.ts';

/** The signed-in shell: header with language and user menu, permission-filtered navigation, page. */
export function AppLayout() {
  const { t } = useTranslation();
  const { data: session, isPending } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const user = session?.user ?? null;
  const appliedFor = useRef<string | null>(null);

  // The user's stored language applies once per signed-in user; later switches are theirs.
  useEffect(() => {
    if (user && appliedFor.current !== user.id) {
      appliedFor.current = user.id;
      void applyLocale(user.locale);
    }
  }, [user]);

  // Close the phone menu after navigating.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on path change only
  useEffect(() => close(), [location.pathname]);

  if (isPending)
    return (
      <Center h="100vh">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  if (!user) {
    const next = encodeURIComponent(location.pathname + location.search);
    const reason = sessionLostReason();
    return <Navigate to={`/sign-in?next=${next}${reason ? `&reason=${reason}` : ''}`} replace />;
  }
  if (user.mfaEnrollmentRequired && location.pathname !== '/account/security')
    return <Navigate to="/account/security" replace />;

  const items = NAV_ITEMS.filter((i) => user.permissions.includes(i.permission));
  const isActive = (to: string) => (to === '/' ? location.pathname === '/' : location.pathname.startsWith(to));
  let lastGroup: string | undefined;

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
            <Text component={Link} to="/" fw={700} size="lg" c="teal.8" style={{ textDecoration: 'none' }}>
              {t('app.name')}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <NotificationBell />
            <LanguageSwitcher />
            <UserMenu user={user} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.label')}>
        <ScrollArea>
          {items.map((item) => {
            const heading = item.group && item.group !== lastGroup ? item.group : undefined;
            lastGroup = item.group;
            return (
              <div key={item.to}>
                {heading && (
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="sm" mb={4} px="sm">
                    {t(heading)}
                  </Text>
                )}
                <NavLink
                  component={Link}
                  to={item.to}
                  label={t(item.label)}
                  active={isActive(item.to)}
                  rightSection={item.badge === 'incomingReferrals' ? <IncomingReferralsBadge /> : undefined}
                  aria-current={isActive(item.to) ? 'page' : undefined}
                />
              </div>
            );
          })}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        {session?.demo && <DemoBanner />}
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
