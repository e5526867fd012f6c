import { PASSWORD_MIN_LENGTH, type TUser } from '@opennrm/domain';
import { Button, Group, Menu, Modal, PasswordInput, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

/** The per-user actions menu of the users table. */
export function UserActions({ user, onEdit }: { user: TUser; onEdit: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [resetting, setResetting] = useState(false);
  const locked = user.lockedUntil !== null && new Date(user.lockedUntil) > new Date();

  // After any outcome, reload the list: a stale row (409) is replaced by the current one.
  const act = async (action: () => Promise<unknown>, message: string) => {
    try {
      await action();
      notifications.show({ color: 'teal', message });
    } catch (err) {
      notifications.show({ color: 'red', message: err instanceof ApiError ? err.message : t('errors.internal') });
    }
    await queryClient.invalidateQueries({ queryKey: ['users'] });
  };

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="xs" variant="light" aria-label={t('admin.users.actionsFor', { name: user.displayName })}>
            {t('common.actions')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={onEdit}>{t('common.edit')}</Menu.Item>
          <Menu.Item onClick={() => setResetting(true)}>{t('admin.users.resetPassword')}</Menu.Item>
          {locked && (
            <Menu.Item onClick={() => void act(() => endpoints.unlockUser(user.id), t('admin.users.unlocked'))}>
              {t('admin.users.unlock')}
            </Menu.Item>
          )}
          <Menu.Item
            color={user.active ? 'red' : undefined}
            onClick={() =>
              void act(
                () => endpoints.updateUser(user.id, { active: !user.active, version: user.version }),
                user.active ? t('admin.users.deactivated') : t('admin.users.reactivated'),
              )
            }
          >
            {user.active ? t('admin.users.deactivate') : t('admin.users.reactivate')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {resetting && <ResetPasswordModal user={user} onClose={() => setResetting(false)} />}
    </>
  );
}

function ResetPasswordModal({ user, onClose }: { user: TUser; onClose: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await endpoints.resetUserPassword(user.id, password);
      notifications.show({ color: 'teal', message: t('admin.users.passwordReset') });
      onClose();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setFields(err.fieldErrors());
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('admin.users.resetPasswordFor', { name: user.displayName })}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <PasswordInput
            label={t('account.newPassword')}
            description={t('account.passwordHint', { min: PASSWORD_MIN_LENGTH })}
            autoComplete="new-password"
            required
            value={password}
            error={fields.password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!password}>
              {t('admin.users.resetPassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
