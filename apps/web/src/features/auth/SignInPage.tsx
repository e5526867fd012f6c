import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { fetchSession, markSessionLost, SESSION_KEY, useSession } from '../../app/session.ts';
import { DemoBanner } from '../../components/DemoBanner.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { LanguageSwitcher } from '../../components/LanguageSwitcher.tsx';
import { applyLocale } from '../../i18n/i18n.ts';

/** Only same-site paths may be a post-sign-in destination (no open redirect). */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}

/** Sign-in with username or e-mail and password, then a TOTP code when the account has one. */
export function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: session } = useSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [totpStep, setTotpStep] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  const reason = params.get('reason');

  if (session?.user && !busy) return <Navigate to={next} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await endpoints.login({ login, password, ...(totpStep ? { totp } : {}) });
      // The CSRF token changes with the session: load the new one before anything else.
      const fresh = await fetchSession();
      markSessionLost(null);
      queryClient.setQueryData(SESSION_KEY, fresh);
      if (fresh.user) await applyLocale(fresh.user.locale);
      await navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'auth.totp_required') setTotpStep(true);
      if (err instanceof ApiError && err.code === 'csrf') {
        // A stale anonymous token (e.g. after signing out elsewhere): take the current one for the retry.
        queryClient.setQueryData(SESSION_KEY, await fetchSession().catch(() => session));
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box mih="100vh" bg="gray.0" p="md">
      <Group justify="flex-end">
        <LanguageSwitcher />
      </Group>
      <Center>
        <Stack w="100%" maw={420} mt="xl">
          {session?.demo && <DemoBanner />}
          <Paper withBorder shadow="sm" p="lg" radius="md" component="main">
            <Title order={1} size="h2">
              {t('app.name')}
            </Title>
            <Text c="dimmed" size="sm" mb="md">
              {t('app.tagline')}
            </Text>
            <form onSubmit={submit} noValidate>
              <Stack>
                <Title order={2} size="h4">
                  {t('signIn.title')}
                </Title>
                {reason === 'expired' && !error && (
                  <Alert color="yellow" variant="light">
                    {t('errors.auth.session_expired')}
                  </Alert>
                )}
                <ErrorAlert error={error} />
                <TextInput
                  label={t('signIn.login')}
                  name="login"
                  autoComplete="username"
                  required
                  value={login}
                  onChange={(e) => setLogin(e.currentTarget.value)}
                />
                <PasswordInput
                  label={t('signIn.password')}
                  name="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                />
                {totpStep && (
                  <TextInput
                    label={t('signIn.totp')}
                    description={t('signIn.totpHint')}
                    name="totp"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={6}
                    required
                    autoFocus
                    value={totp}
                    onChange={(e) => setTotp(e.currentTarget.value.replace(/\D/g, ''))}
                  />
                )}
                <Button type="submit" loading={busy} disabled={!login || !password}>
                  {t('signIn.submit')}
                </Button>
              </Stack>
            </form>
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
