import { Badge, Button, Card, Code, Group, Image, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { endpoints } from '../../api/endpoints.ts';
import { SESSION_KEY, useUser } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

interface Setup {
  secret: string;
  qr: string | null;
}

/** Two-factor authentication: enrol (secret + QR code → confirm with a code) or turn it off. */
export function TwoFactorCard() {
  const { t } = useTranslation();
  const user = useUser();
  const queryClient = useQueryClient();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    run(async () => {
      const s = await endpoints.totpSetup();
      const qr = await QRCode.toDataURL(s.otpauthUrl, { margin: 1, width: 200 }).catch(() => null);
      setSetup({ secret: s.secret, qr });
    });

  const confirm = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      await endpoints.totpConfirm(code);
      setSetup(null);
      setCode('');
      notifications.show({ color: 'teal', message: t('account.twoFactorEnabled') });
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    });
  };

  const disable = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      await endpoints.totpDisable(password);
      setPassword('');
      notifications.show({ color: 'teal', message: t('account.twoFactorDisabled') });
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    });
  };

  return (
    <Card withBorder padding="lg" id="two-factor">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('account.twoFactor')}
        </Title>
        <Badge color={user.totpEnabled ? 'teal' : 'gray'}>{user.totpEnabled ? t('common.on') : t('common.off')}</Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {t('account.twoFactorHint')}
      </Text>
      <Stack>
        <ErrorAlert error={error} />
        {!user.totpEnabled && !setup && (
          <Button onClick={() => void start()} loading={busy} w="fit-content">
            {t('account.twoFactorSetup')}
          </Button>
        )}
        {!user.totpEnabled && setup && (
          <form onSubmit={confirm} noValidate>
            <Stack>
              <Text size="sm">{t('account.twoFactorScan')}</Text>
              {setup.qr && <Image src={setup.qr} alt={t('account.qrAlt')} w={200} h={200} />}
              <Text size="sm">{t('account.twoFactorSecret')}</Text>
              <Code block style={{ overflowWrap: 'anywhere' }} data-testid="totp-secret">
                {setup.secret}
              </Code>
              <TextInput
                label={t('account.twoFactorCode')}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
              />
              <Group>
                <Button type="submit" loading={busy} disabled={code.length !== 6}>
                  {t('account.twoFactorConfirm')}
                </Button>
                <Button variant="default" onClick={() => setSetup(null)}>
                  {t('common.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {user.totpEnabled && (
          <form onSubmit={disable} noValidate>
            <Stack>
              <PasswordInput
                label={t('account.currentPassword')}
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button type="submit" color="red" variant="light" loading={busy} disabled={!password} w="fit-content">
                {t('account.twoFactorDisable')}
              </Button>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}
