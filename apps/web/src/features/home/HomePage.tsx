import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { NAV_ITEMS } from '../../app/nav.ts';
import { useCan, useSession, useUser } from '../../app/session.ts';
import { formatDateTime } from '../../components/format.ts';

/** The signed-in start page: who you are, where you work, what you can do. */
export function HomePage() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const { data: session } = useSession();
  const canCreate = useCan('cases.create');
  const areas = NAV_ITEMS.filter((i) => i.to !== '/' && user.permissions.includes(i.permission));

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('home.welcome', { name: user.displayName })}</Title>
        <Text c="dimmed">{t('app.tagline')}</Text>
      </div>
      {canCreate && (
        <Card withBorder padding="lg" bg="teal.0" data-testid="record-shortcut">
          <Group justify="space-between" gap="sm">
            <div>
              <Text fw={700} size="lg">
                {t('cases.home.record')}
              </Text>
              <Text size="sm" c="dimmed">
                {t('cases.home.recordText')}
              </Text>
            </div>
            <Button component={Link} to="/cases/new" size="lg">
              {t('cases.home.recordButton')}
            </Button>
          </Group>
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder padding="lg">
          <Title order={2} size="h4" mb="sm">
            {t('home.profile')}
          </Title>
          <Stack gap={6}>
            <Field label={t('home.username')} value={user.username} />
            <Field label={t('home.email')} value={user.email ?? '—'} />
            <Field label={t('home.agency')} value={user.agency.name} />
            <Field label={t('home.agencyType')} value={t(`agencyTypes.${user.agency.type}`)} />
            <Field label={t('home.region')} value={t(`regions.${user.agency.region}`)} />
            <Field label={t('home.sessionUntil')} value={formatDateTime(session?.expiresAt ?? null, i18n.language)} />
          </Stack>
        </Card>
        <Card withBorder padding="lg">
          <Title order={2} size="h4" mb="sm">
            {t('home.roles')}
          </Title>
          <Group gap="xs" mb="md">
            {user.roles.map((r) => (
              <Badge key={r} variant="light" size="lg">
                {t(`roles.${r}`)}
              </Badge>
            ))}
          </Group>
          <Group gap="xs">
            <Text size="sm" fw={500}>
              {t('account.twoFactor')}:
            </Text>
            <Badge color={user.totpEnabled ? 'teal' : 'gray'} variant="dot">
              {user.totpEnabled ? t('common.on') : t('common.off')}
            </Badge>
          </Group>
        </Card>
      </SimpleGrid>
      <div>
        <Title order={2} size="h4" mb="sm">
          {t('home.areas')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {areas.map((a) => (
            <Card key={a.to} withBorder component={Link} to={a.to} padding="md">
              <Group wrap="nowrap" align="flex-start">
                <ThemeIcon variant="light" radius="xl" aria-hidden>
                  {t(a.label).slice(0, 1)}
                </ThemeIcon>
                <div>
                  <Text fw={600}>{t(a.label)}</Text>
                  <Text size="sm" c="dimmed">
                    {a.description ? t(a.description) : null}
                  </Text>
                </div>
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      </div>
    </Stack>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={130} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </Group>
  );
}
