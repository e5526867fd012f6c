import { Badge, Card, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDate } from '../cases/options.ts';

interface TOverCapacity {
  items: { id: string; agency: { id: string; name: string }; category: string; plannedStart: string; status: string }[];
}

/** For the national coordinator: placements made above a provider's capacity (no case or person). */
export function OverCapacityCard() {
  const { t, i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['over-capacity'],
    queryFn: () => api<TOverCapacity>('GET', '/api/coordination/over-capacity'),
  });
  const items = q.data?.items ?? [];
  return (
    <Card withBorder padding="md" data-testid="over-capacity-card">
      <Title order={2} size="h4" mb="sm">
        {t('assistance.overCapacity.title')}{' '}
        <Badge color={items.length ? 'red' : 'gray'} data-testid="over-capacity-count">
          {items.length}
        </Badge>
      </Title>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('assistance.overCapacity.none')}
        </Text>
      ) : (
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('assistance.services.provider')}</Table.Th>
              <Table.Th>{t('assistance.services.category')}</Table.Th>
              <Table.Th>{t('assistance.services.plannedStart')}</Table.Th>
              <Table.Th>{t('assistance.services.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((x) => (
              <Table.Tr key={x.id}>
                <Table.Td>{x.agency.name}</Table.Td>
                <Table.Td>{t(`assistance.category.${x.category}`)}</Table.Td>
                <Table.Td>{formatDate(x.plannedStart, i18n.language)}</Table.Td>
                <Table.Td>{t(`assistance.status.${x.status}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
