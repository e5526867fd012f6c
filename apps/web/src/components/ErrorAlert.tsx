import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

/** The translated message of a failed call; for a stale edit, a button to reload the record. */
export function ErrorAlert({ error, onReload }: { error: unknown; onReload?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message =
    error instanceof ApiError
      ? error.code === 'network'
        ? t('common.networkError')
        : error.message || t(`errors.${error.code}`)
      : t('errors.internal');
  const stale = error instanceof ApiError && error.code === 'conflict.stale';
  return (
    <Alert color={stale ? 'yellow' : 'red'} role="alert" variant="light">
      <Group justify="space-between" gap="sm">
        <Text size="sm">{message}</Text>
        {stale && onReload && (
          <Button size="xs" variant="white" onClick={onReload}>
            {t('common.reload')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
