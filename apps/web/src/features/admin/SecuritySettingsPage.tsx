import { ROLES, type TRole } from '@opennrm/domain';
import { Button, Card, MultiSelect, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

const KEY = ['settings', 'security'] as const;

/** Security settings: which roles must use two-factor authentication. */
export function SecuritySettingsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: KEY, queryFn: endpoints.securitySettings });
  const [roles, setRoles] = useState<TRole[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (settings.data) setRoles(settings.data.mfaRequiredRoles);
  }, [settings.data]);

  const reload = async () => {
    setError(null);
    await queryClient.invalidateQueries({ queryKey: KEY });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!settings.data) return;
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const saved = await endpoints.saveSecuritySettings({ mfaRequiredRoles: roles, version: settings.data.version });
      queryClient.setQueryData(KEY, saved);
      notifications.show({ color: 'teal', message: t('common.saved') });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setFields(err.fieldErrors());
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={720}>
      <Title order={1}>{t('admin.security.title')}</Title>
      <ErrorAlert error={settings.error} />
      <Card withBorder padding="lg">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm" c="dimmed">
              {t('admin.security.hint')}
            </Text>
            <ErrorAlert error={error} onReload={() => void reload()} />
            <MultiSelect
              searchable
              label={t('admin.security.mfaRequiredRoles')}
              data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              value={roles}
              error={fields.mfaRequiredRoles}
              disabled={!settings.data}
              onChange={(v) => setRoles(v as TRole[])}
            />
            <Button type="submit" loading={busy} disabled={!settings.data} w="fit-content">
              {t('common.save')}
            </Button>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
