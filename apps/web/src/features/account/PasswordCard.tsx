import { PASSWORD_MIN_LENGTH } from '@opennrm/domain';
import { Button, Card, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

/** Change one's own password (the server ends the other sessions). */
export function PasswordCard() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const mismatch = repeat.length > 0 && repeat !== next;
  const tooShort = next.length > 0 && next.length < PASSWORD_MIN_LENGTH;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch || tooShort) return;
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await endpoints.changePassword({ currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setRepeat('');
      notifications.show({ color: 'teal', message: t('account.passwordChanged') });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) {
        const f = err.fieldErrors();
        if (err.code === 'auth.current_password_wrong') f.currentPassword = err.message;
        if (err.code === 'auth.password_reused') f.newPassword = err.message;
        setFields(f);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="lg">
      <Title order={2} size="h4" mb="xs">
        {t('account.changePassword')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('account.passwordHint', { min: PASSWORD_MIN_LENGTH })}
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <PasswordInput
            label={t('account.currentPassword')}
            autoComplete="current-password"
            required
            value={current}
            error={fields.currentPassword}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('account.newPassword')}
            autoComplete="new-password"
            required
            value={next}
            error={
              fields.newPassword ??
              (tooShort ? t('validation.password_too_short', { min: PASSWORD_MIN_LENGTH }) : undefined)
            }
            onChange={(e) => setNext(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('account.repeatPassword')}
            autoComplete="new-password"
            required
            value={repeat}
            error={mismatch ? t('account.passwordMismatch') : undefined}
            onChange={(e) => setRepeat(e.currentTarget.value)}
          />
          <Button type="submit" loading={busy} disabled={!current || !next || mismatch || tooShort} w="fit-content">
            {t('account.changePassword')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
