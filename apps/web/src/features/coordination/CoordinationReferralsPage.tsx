import { Badge, Center, Group, Loader, ScrollArea, Select, Stack, Table, Text, Title } from '@mantine/core';
import { REFERRAL_PURPOSES, REFERRAL_STATES } from '@opennrm/domain';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { endpoints } from '../../api/endpoints.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatZoned, OverdueBadge, ReferralStateBadge, UrgencyBadge } from '../referrals/referralUi.tsx';

/**
 * The national coordinator's view of every referral: state, purpose, age group, waiting time and
 * the overdue flag. No case, person or identifier reaches this page (the API sends none).
 */
export function CoordinationReferralsPage() {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<string | null>(null);
  const [purpose, setPurpose] = useState<string | null>(null);
  const [overdue, setOverdue] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['coordination', state, purpose, overdue],
    queryFn: () =>
      endpoints.coordinationReferrals({
        state: state ?? undefined,
        purpose: purpose ?? undefined,
        overdue: overdue ?? undefined,
      }),
  });
  const waiting = (h: number) =>
    h >= 48 ? t('coordination.days', { n: Math.floor(h / 24) }) : t('coordination.hours', { n: Math.round(h) });

  return (
    <Stack>
      <Title order={1}>{t('coordination.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('coordination.intro')}
      </Text>
      <Group align="flex-end">
        <Select
          label={t('referrals.stateFilter')}
          clearable
          placeholder={t('referrals.allStates')}
          data={REFERRAL_STATES.map((s) => ({ value: s, label: t(`referrals.state.${s}`) }))}
          value={state}
          onChange={setState}
          w={220}
        />
        <Select
          label={t('referrals.purpose')}
          clearable
          placeholder={t('coordination.allPurposes')}
          data={REFERRAL_PURPOSES.map((p) => ({ value: p, label: t(`referralPurposes.${p}`) }))}
          value={purpose}
          onChange={setPurpose}
          w={240}
        />
        <Select
          label={t('referrals.overdue')}
          clearable
          placeholder={t('coordination.any')}
          data={[
            { value: 'true', label: t('coordination.onlyOverdue') },
            { value: 'false', label: t('coordination.onlyOnTime') },
          ]}
          value={overdue}
          onChange={setOverdue}
          w={200}
        />
      </Group>
      <ErrorAlert error={list.error} />
      {list.isPending && (
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {list.data && (
        <Text size="sm" c="dimmed" data-testid="coordination-total">
          {t('common.total', { n: list.data.total })}
        </Text>
      )}
      {list.data && list.data.items.length > 0 && (
        <ScrollArea>
          <Table striped miw={900} data-testid="coordination-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('coordination.sent')}</Table.Th>
                <Table.Th>{t('referrals.from')}</Table.Th>
                <Table.Th>{t('referrals.to')}</Table.Th>
                <Table.Th>{t('referrals.purpose')}</Table.Th>
                <Table.Th>{t('referrals.ageGroup')}</Table.Th>
                <Table.Th>{t('cases.region')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
                <Table.Th>{t('coordination.waiting')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((r) => (
                <Table.Tr key={r.id} data-testid="coordination-row">
                  <Table.Td>
                    <Text size="sm">{formatZoned(r.sentAt, i18n.language)}</Text>
                    <UrgencyBadge urgency={r.urgency} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.fromAgency.name}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`agencyTypes.${r.fromAgency.type}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.toAgency.name}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`agencyTypes.${r.toAgency.type}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`referralPurposes.${r.purpose}`)}</Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color={r.ageGroup === 'child' ? 'grape' : 'gray'}>
                      {t(`referrals.ageGroupValue.${r.ageGroup}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{t(`regions.${r.region}`)}</Table.Td>
                  <Table.Td>
                    <ReferralStateBadge state={r.state} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Text size="sm">{waiting(r.waitingHours)}</Text>
                      {r.overdue && <OverdueBadge />}
                      {r.escalated && (
                        <Badge size="sm" color="orange" variant="light">
                          {t('coordination.escalated')}
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {t('coordination.due', { at: formatZoned(r.dueAt, i18n.language) })}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Stack>
  );
}
