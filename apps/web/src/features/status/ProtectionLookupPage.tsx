import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import type { TProtectionStatus } from '@opennrm/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDate } from '../cases/options.ts';
import { statusApi } from './statusApi.ts';

/**
 * Removal authorities (migration police, border service, police) check a case number from the
 * person's certificate and learn only whether removal is barred, and until when.
 */
export function ProtectionLookupPage() {
  const { t, i18n } = useTranslation();
  const [caseNumber, setCaseNumber] = useState('');
  const [result, setResult] = useState<TProtectionStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const lookup = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await statusApi.lookupProtection(caseNumber));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack maw={640}>
      <Title order={1}>{t('status.lookup.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('status.lookup.intro')}
      </Text>
      <Card withBorder padding="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void lookup();
          }}
        >
          <Group align="flex-end">
            <TextInput
              label={t('status.lookup.caseNumber')}
              name="caseNumber"
              value={caseNumber}
              onChange={(e) => setCaseNumber(e.currentTarget.value)}
              required
            />
            <Button type="submit" loading={busy}>
              {t('status.lookup.submit')}
            </Button>
          </Group>
        </form>
      </Card>
      <ErrorAlert error={error} />
      {result && (
        <Alert
          color={result.protected ? 'red' : 'gray'}
          variant="light"
          data-testid="protection-result"
          data-protected={String(result.protected)}
          data-until={result.until ?? ''}
        >
          {result.protected
            ? result.until
              ? t('status.lookup.protectedUntil', { date: formatDate(result.until, i18n.language) })
              : t('status.lookup.protectedUntilFinal')
            : t('status.lookup.notProtected')}
        </Alert>
      )}
    </Stack>
  );
}
