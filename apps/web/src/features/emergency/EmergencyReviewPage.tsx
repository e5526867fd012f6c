import { Button, Card, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { endpoints } from '../../api/endpoints.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatZoned } from '../referrals/referralUi.tsx';
import { ReviewBadge } from './EmergencyAccess.tsx';

/** Supervisors of a holding agency review every emergency opening of its cases. */
export function EmergencyReviewPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const pending = useQuery({ queryKey: ['emergency-pending'], queryFn: endpoints.pendingEmergencyReviews });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const review = async (id: string, outcome: 'justified' | 'not_justified') => {
    setBusy(id + outcome);
    setError(null);
    try {
      await endpoints.reviewEmergencyAccess(id, outcome);
      await queryClient.invalidateQueries({ queryKey: ['emergency-pending'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack maw={900}>
      <Title order={1}>{t('emergency.reviewTitle')}</Title>
      <Text size="sm" c="dimmed">
        {t('emergency.reviewIntro')}
      </Text>
      <ErrorAlert error={pending.error ?? error} />
      {pending.isPending && (
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {pending.data?.items.length === 0 && <Text c="dimmed">{t('emergency.nothingToReview')}</Text>}
      {pending.data?.items.map((g) => (
        <Card key={g.id} withBorder padding="md" data-testid="emergency-review-item">
          <Group justify="space-between" align="flex-start">
            <Stack gap={4}>
              <Group gap="xs">
                <Text fw={600}>
                  {g.user.displayName} ({g.agency.name})
                </Text>
                <ReviewBadge g={g} />
              </Group>
              <Text size="sm">
                {t('emergency.openedAt', {
                  at: formatZoned(g.grantedAt, i18n.language),
                  until: formatZoned(g.expiresAt, i18n.language),
                })}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {t('emergency.reason')}: {g.reason ?? '—'}
              </Text>
              <Text size="sm">
                <Link to={`/cases/${g.caseId}`}>{t('emergency.openCase')}</Link>
              </Text>
            </Stack>
            <Group gap="xs">
              <Button
                size="xs"
                color="teal"
                loading={busy === `${g.id}justified`}
                onClick={() => void review(g.id, 'justified')}
              >
                {t('emergency.outcome.justified')}
              </Button>
              <Button
                size="xs"
                color="red"
                variant="light"
                loading={busy === `${g.id}not_justified`}
                onClick={() => void review(g.id, 'not_justified')}
              >
                {t('emergency.outcome.not_justified')}
              </Button>
            </Group>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
