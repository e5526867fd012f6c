import { Alert, Button, Card, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { endpoints } from '../../api/endpoints.ts';
import { useUser } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PasswordCard } from './PasswordCard.tsx';
import { TwoFactorCard } from './TwoFactorCard.tsx';

/** The user's own account: password, two-factor authentication, sessions. */
export function AccountPage() {
  const { t } = useTranslation();
  const user = useUser();

  return (
    <Stack maw={720} gap="lg">
      <Title order={1}>{t('account.title')}</Title>
      {user.mfaEnrollmentRequired && (
        <Alert color="orange" role="alert" title={t('account.mfaRequiredTitle')}>
          {t('errors.auth.mfa_enrollment_required')}
        </Alert>
      )}
      <TwoFactorCard />
      {!user.mfaEnrollmentRequired && <PasswordCard />}
      <SessionsCard />
    </Stack>
  );
}

function SessionsCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const signOutEverywhere = async () => {
    if (!window.confirm(t('account.signOutEverywhereConfirm'))) return;
    setBusy(true);
    try {
      await endpoints.logoutAll();
      queryClient.clear();
      await navigate('/sign-in');
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="lg">
      <Title order={2} size="h4" mb="xs">
        {t('account.sessions')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('account.signOutEverywhereHint')}
      </Text>
      <Stack align="flex-start">
        <ErrorAlert error={error} />
        <Button color="red" variant="light" loading={busy} onClick={() => void signOutEverywhere()}>
          {t('account.signOutEverywhere')}
        </Button>
      </Stack>
    </Card>
  );
}
