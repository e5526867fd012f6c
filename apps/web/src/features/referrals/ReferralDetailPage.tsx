import { Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { useUser } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';
import { ReferralCard } from './ReferralsPage.tsx';

/** One referral (the target of a notification), as the user's side sees it. */
export function ReferralDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const user = useUser();
  const q = useQuery({ queryKey: ['referrals', 'one', id], queryFn: () => endpoints.referral(id) });
  if (q.error instanceof ApiError && q.error.status === 404) return <NotFoundPage />;
  if (q.error) return <ErrorAlert error={q.error} onReload={() => void q.refetch()} />;
  if (!q.data)
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  const box = q.data.to.id === user.agency.id ? 'incoming' : 'outgoing';
  return (
    <Stack maw={960}>
      <Text size="sm">
        <Link to={`/referrals?box=${box}`}>{t('referrals.backToInbox')}</Link>
      </Text>
      <Title order={1}>{t('referrals.one')}</Title>
      <ReferralCard r={q.data} box={box} />
    </Stack>
  );
}
