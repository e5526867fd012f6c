import { ROLES, type TRole, type TUser } from '@opennrm/domain';
import { Badge, Button, Group, Pagination, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { endpoints, type TUserFilter } from '../../api/endpoints.ts';
import { useCan } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { UserActions } from './UserActions.tsx';
import { UserFormModal } from './UserFormModal.tsx';

const PAGE_SIZE = 25;

/** Users the administrator manages: filter, create, edit roles, (de)activate, reset password, unlock. */
export function UsersPage() {
  const { t } = useTranslation();
  const manageAll = useCan('users.manage_all');
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>('true');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<TUser | 'new' | null>(null);

  const filter: TUserFilter = {
    page,
    pageSize: PAGE_SIZE,
    q: debouncedQ || undefined,
    agencyId: agencyId ?? undefined,
    role: (role as TRole | null) ?? undefined,
    active: (active as 'true' | 'false' | null) ?? undefined,
  };
  const users = useQuery({
    queryKey: ['users', filter],
    queryFn: () => endpoints.users(filter),
    placeholderData: keepPreviousData,
  });
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: endpoints.agencies, enabled: manageAll });
  const pages = users.data ? Math.max(1, Math.ceil(users.data.total / PAGE_SIZE)) : 1;
  const resetPage =
    <T,>(setter: (v: T) => void) =>
    (v: T) => {
      setter(v);
      setPage(1);
    };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('admin.users.title')}</Title>
        <Button onClick={() => setEditing('new')}>{t('admin.users.create')}</Button>
      </Group>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('common.search')}
          placeholder={t('admin.users.searchPlaceholder')}
          value={q}
          onChange={(e) => resetPage(setQ)(e.currentTarget.value)}
          w={{ base: '100%', sm: 220 }}
        />
        {manageAll && (
          <Select
            label={t('admin.users.agency')}
            clearable
            searchable
            data={(agencies.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
            value={agencyId}
            onChange={resetPage(setAgencyId)}
            w={{ base: '100%', sm: 260 }}
          />
        )}
        <Select
          label={t('admin.users.role')}
          clearable
          data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={role}
          onChange={resetPage(setRole)}
          w={{ base: '100%', sm: 220 }}
        />
        <Select
          label={t('common.status')}
          clearable
          data={[
            { value: 'true', label: t('common.active') },
            { value: 'false', label: t('common.inactive') },
          ]}
          value={active}
          onChange={resetPage(setActive)}
          w={{ base: '100%', sm: 160 }}
        />
      </Group>
      <ErrorAlert error={users.error} />
      {users.data && (
        <>
          <Text size="sm" c="dimmed">
            {t('common.total', { n: users.data.total })}
          </Text>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.users.name')}</Table.Th>
                  <Table.Th>{t('admin.users.agency')}</Table.Th>
                  <Table.Th>{t('admin.users.roles')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.items.map((u) => (
                  <Table.Tr key={u.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {u.displayName}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {u.username}
                        {u.email ? ` · ${u.email}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{u.agencyName}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {u.roles.map((r) => (
                          <Badge key={r} size="sm" variant="light">
                            {t(`roles.${r}`)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <UserStatus user={u} />
                    </Table.Td>
                    <Table.Td>
                      <UserActions user={u} onEdit={() => setEditing(u)} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {pages > 1 && (
            <Pagination total={pages} value={page} onChange={setPage} aria-label={t('common.pagination')} />
          )}
        </>
      )}
      {editing && <UserFormModal user={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function UserStatus({ user }: { user: TUser }) {
  const { t } = useTranslation();
  const locked = user.lockedUntil !== null && new Date(user.lockedUntil) > new Date();
  return (
    <Group gap={4}>
      <Badge color={user.active ? 'teal' : 'gray'} variant="dot">
        {user.active ? t('common.active') : t('common.inactive')}
      </Badge>
      {locked && <Badge color="red">{t('admin.users.locked')}</Badge>}
      {user.totpEnabled && (
        <Badge color="blue" variant="outline">
          {t('admin.users.twoFactorOn')}
        </Badge>
      )}
    </Group>
  );
}
