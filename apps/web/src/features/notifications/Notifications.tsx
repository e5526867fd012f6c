import { ActionIcon, Button, Card, Center, Group, Indicator, Loader, Menu, Stack, Text, Title } from '@mantine/core';
import type { TNotification } from '@opennrm/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { endpoints } from '../../api/endpoints.ts';
import { useCan } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatZoned } from '../referrals/referralUi.tsx';

const KEY = ['notifications'] as const;

/** Where a notification leads: the referral, the review list, or the national overview. */
function useTarget(): (n: TNotification) => string | null {
  const canReadCases = useCan('cases.read');
  const canReview = useCan('emergency.review');
  const canCoordinate = useCan('coordination.read');
  return (n) => {
    if (n.kind === 'emergency_access_opened') return canReview ? '/emergency-access/review' : null;
    if (n.referralId && canReadCases) return `/referrals/${n.referralId}`;
    if (canCoordinate) return '/coordination/referrals';
    return null;
  };
}

function useNotifications(limit: number) {
  return useQuery({
    queryKey: [...KEY, limit],
    queryFn: () => endpoints.notifications({ limit }),
    refetchInterval: 60_000,
  });
}

function useMarkRead() {
  const queryClient = useQueryClient();
  return async (body: { ids: string[] } | { all: true }) => {
    await endpoints.markNotificationsRead(body);
    await queryClient.invalidateQueries({ queryKey: KEY });
  };
}

/** The header bell: unread count, the latest notifications, mark all read, link to the full list. */
export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const list = useNotifications(8);
  const markRead = useMarkRead();
  const target = useTarget();
  const unread = list.data?.unread ?? 0;

  const open = (n: TNotification) => {
    if (!n.readAt) void markRead({ ids: [n.id] });
    const to = target(n);
    if (to) void navigate(to);
  };

  return (
    <Menu position="bottom-end" width={340} shadow="md">
      <Menu.Target>
        <Indicator label={unread > 99 ? '99+' : unread} size={16} color="red" disabled={unread === 0} offset={4}>
          <ActionIcon
            variant="subtle"
            size="lg"
            aria-label={t('notificationCenter.bell', { n: unread })}
            data-testid="notification-bell"
          >
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Menu.Target>
      <Menu.Dropdown>
        <Group justify="space-between" px="xs" py={4}>
          <Text size="sm" fw={600}>
            {t('notificationCenter.title')}
          </Text>
          {unread > 0 && (
            <Button size="compact-xs" variant="subtle" onClick={() => void markRead({ all: true })}>
              {t('notificationCenter.markAllRead')}
            </Button>
          )}
        </Group>
        <Menu.Divider />
        {list.data?.items.length === 0 && (
          <Text size="sm" c="dimmed" px="xs" py="xs">
            {t('notificationCenter.empty')}
          </Text>
        )}
        {list.data?.items.map((n) => (
          <Menu.Item key={n.id} onClick={() => open(n)} data-testid="notification-item">
            <Text size="sm" fw={n.readAt ? 400 : 700}>
              {n.message}
            </Text>
            <Text size="xs" c="dimmed">
              {formatZoned(n.createdAt, i18n.language)}
            </Text>
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item component={Link} to="/notifications">
          {t('notificationCenter.seeAll')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function BellIcon() {
  return (
    <svg
      width="20"
      height="20"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
      <path d="M13.7 21a2 2 0 0 1-3.4 0" />
    </svg>
  );
}

/** Every notification of the user, latest first; mark one or all read. */
export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const list = useNotifications(200);
  const markRead = useMarkRead();
  const target = useTarget();
  return (
    <Stack maw={800}>
      <Group justify="space-between">
        <Title order={1}>{t('notificationCenter.title')}</Title>
        {(list.data?.unread ?? 0) > 0 && (
          <Button variant="light" onClick={() => void markRead({ all: true })}>
            {t('notificationCenter.markAllRead')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={list.error} />
      {list.isPending && (
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {list.data?.items.length === 0 && <Text c="dimmed">{t('notificationCenter.empty')}</Text>}
      {list.data?.items.map((n) => {
        const to = target(n);
        return (
          <Card key={n.id} withBorder padding="sm" data-testid="notification-row">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2}>
                <Text size="sm" fw={n.readAt ? 400 : 700}>
                  {to ? (
                    <Link to={to} onClick={() => !n.readAt && void markRead({ ids: [n.id] })}>
                      {n.message}
                    </Link>
                  ) : (
                    n.message
                  )}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatZoned(n.createdAt, i18n.language)}
                </Text>
              </Stack>
              {!n.readAt && (
                <Button size="compact-xs" variant="subtle" onClick={() => void markRead({ ids: [n.id] })}>
                  {t('notificationCenter.markRead')}
                </Button>
              )}
            </Group>
          </Card>
        );
      })}
    </Stack>
  );
}
