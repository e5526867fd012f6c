import type { TAgency } from '@opennrm/domain';
import { Badge, Button, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { endpoints } from '../../api/endpoints.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { AgencyFormModal } from './AgencyFormModal.tsx';

export const AGENCIES_KEY = ['agencies'] as const;

/** The agency directory with create and edit (system administrators). */
export function AgenciesPage() {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery({ queryKey: AGENCIES_KEY, queryFn: endpoints.agencies });
  const [editing, setEditing] = useState<TAgency | 'new' | null>(null);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('admin.agencies.title')}</Title>
        <Button onClick={() => setEditing('new')}>{t('admin.agencies.create')}</Button>
      </Group>
      <ErrorAlert error={error} />
      {isPending && <Text c="dimmed">{t('common.loading')}</Text>}
      {data && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.agencies.name')}</Table.Th>
                <Table.Th>{t('admin.agencies.type')}</Table.Th>
                <Table.Th>{t('admin.agencies.region')}</Table.Th>
                <Table.Th>{t('admin.agencies.contacts')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {a.name}
                    </Text>
                    {a.isCompetentAuthority && (
                      <Badge size="xs" variant="light" color="grape">
                        {t('admin.agencies.competentAuthority')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`agencyTypes.${a.type}`)}</Table.Td>
                  <Table.Td>{t(`regions.${a.region}`)}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{a.contactEmail ?? ''}</Text>
                    <Text size="xs">{a.contactPhone ?? ''}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={a.active ? 'teal' : 'gray'} variant="dot">
                      {a.active ? t('common.active') : t('common.inactive')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => setEditing(a)}
                      aria-label={t('admin.agencies.editNamed', { name: a.name })}
                    >
                      {t('common.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && <AgencyFormModal agency={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
