import {
  COMPETENT_AUTHORITY_ROLES,
  LOCALES,
  PASSWORD_MIN_LENGTH,
  ROLES,
  SYSTEM_GRANTED_ROLES,
  type TLocale,
  type TRole,
  type TUser,
} from '@opennrm/domain';
import { Button, Group, Modal, MultiSelect, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { useCan, useUser } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

interface Form {
  agencyId: string | null;
  username: string;
  displayName: string;
  email: string;
  roles: TRole[];
  locale: TLocale;
  password: string;
}

const toForm = (u: TUser | null, ownAgency: string): Form => ({
  agencyId: u?.agencyId ?? ownAgency,
  username: u?.username ?? '',
  displayName: u?.displayName ?? '',
  email: u?.email ?? '',
  roles: u?.roles ?? [],
  locale: u?.locale ?? 'ru',
  password: '',
});

/**
 * Create a user, or edit one's name, e-mail and roles. The agency picker offers every agency to a
 * system administrator and only their own to an agency administrator; the server decides anyway.
 */
export function UserFormModal({ user, onClose }: { user: TUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useUser();
  const manageAll = useCan('users.manage_all');
  const queryClient = useQueryClient();
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: endpoints.agencies });
  const [record, setRecord] = useState(user);
  const [form, setForm] = useState<Form>(() => toForm(user, me.agency.id));
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const agencyOptions = (agencies.data?.items ?? [])
    .filter((a) => a.active && (manageAll || a.id === me.agency.id))
    .map((a) => ({ value: a.id, label: a.name }));
  const agency = agencies.data?.items.find((a) => a.id === form.agencyId);
  const roleOptions = ROLES.filter(
    (r) =>
      (manageAll || !SYSTEM_GRANTED_ROLES.includes(r)) &&
      (!COMPETENT_AUTHORITY_ROLES.includes(r) || agency?.isCompetentAuthority !== false),
  ).map((r) => ({ value: r, label: t(`roles.${r}`) }));

  const reload = async () => {
    if (!record) return;
    const res = await endpoints.users({ page: 1, pageSize: 50, q: record.username });
    const fresh = res.items.find((u) => u.id === record.id) ?? null;
    setRecord(fresh);
    setForm(toForm(fresh, me.agency.id));
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    const email = form.email.trim() ? form.email.trim() : null;
    try {
      if (record)
        await endpoints.updateUser(record.id, {
          displayName: form.displayName,
          email,
          roles: form.roles,
          version: record.version,
        });
      else
        await endpoints.createUser({
          agencyId: form.agencyId ?? '',
          username: form.username,
          displayName: form.displayName,
          email,
          roles: form.roles,
          locale: form.locale,
          password: form.password,
        });
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      notifications.show({ color: 'teal', message: t('common.saved') });
      onClose();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) {
        const f = err.fieldErrors();
        if (err.code === 'conflict.username_taken') f.username = err.message;
        if (err.code === 'conflict.email_taken') f.email = err.message;
        setFields(f);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={record ? t('admin.users.edit') : t('admin.users.create')} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} onReload={() => void reload()} />
          <Select
            label={t('admin.users.agency')}
            required
            searchable
            disabled={!!record || !manageAll}
            data={agencyOptions.length ? agencyOptions : [{ value: me.agency.id, label: me.agency.name }]}
            value={form.agencyId}
            error={fields.agencyId}
            onChange={(v) => set('agencyId', v)}
          />
          <TextInput
            label={t('admin.users.username')}
            description={t('admin.users.usernameHint')}
            required
            disabled={!!record}
            autoComplete="off"
            value={form.username}
            error={fields.username}
            onChange={(e) => set('username', e.currentTarget.value)}
          />
          <TextInput
            label={t('admin.users.displayName')}
            required
            value={form.displayName}
            error={fields.displayName}
            onChange={(e) => set('displayName', e.currentTarget.value)}
          />
          <TextInput
            label={t('admin.users.email')}
            type="email"
            value={form.email}
            error={fields.email}
            onChange={(e) => set('email', e.currentTarget.value)}
          />
          <MultiSelect
            searchable
            label={t('admin.users.roles')}
            required
            data={roleOptions}
            value={form.roles}
            error={fields.roles}
            onChange={(v) => set('roles', v as TRole[])}
          />
          {!record && (
            <>
              <Select
                label={t('admin.users.locale')}
                data={LOCALES.map((l) => ({ value: l, label: t(`admin.users.localeName.${l}`) }))}
                value={form.locale}
                allowDeselect={false}
                onChange={(v) => v && set('locale', v as TLocale)}
              />
              <PasswordInput
                label={t('admin.users.initialPassword')}
                description={t('account.passwordHint', { min: PASSWORD_MIN_LENGTH })}
                required
                autoComplete="new-password"
                value={form.password}
                error={fields.password}
                onChange={(e) => set('password', e.currentTarget.value)}
              />
            </>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
