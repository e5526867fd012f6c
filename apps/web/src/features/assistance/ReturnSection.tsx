import { Badge, Button, Checkbox, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { RISK_LEVELS, type TAssistance, type TReturn } from '@opennrm/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDate } from '../cases/options.ts';
import { todayLocal } from '../status/statusApi.ts';
import { assistanceApi } from './assistanceApi.ts';

const assess = (id: string, body: unknown) => api<TAssistance>('POST', `/api/returns/${id}/risk-assessment`, { body });
const decide = (id: string, body: unknown) => api<TAssistance>('POST', `/api/returns/${id}/decision`, { body });

/** Voluntary return (art. 16): request, risk and security assessment, decision, follow-ups. */
export function ReturnSection({ a, onDone }: { a: TAssistance; onDone: (a: TAssistance) => void }) {
  const { t, i18n } = useTranslation();
  const [country, setCountry] = useState('');
  const [org, setOrg] = useState('');
  const request = useMutation({
    mutationFn: () =>
      assistanceApi.requestReturn(a.caseId, {
        requestedOn: todayLocal(),
        voluntary: true,
        destinationCountry: country.trim().toUpperCase(),
        receivingOrganisation: org,
      }),
    onSuccess: (x) => {
      onDone(x);
      setCountry('');
      setOrg('');
    },
  });
  return (
    <Stack gap="xs" data-testid="return-section">
      <Title order={3} size="h5">
        {t('assistance.return.title')}
      </Title>
      {a.returns.map((r) => (
        <ReturnRow key={r.id} r={r} manage={a.abilities.manage} onDone={onDone} lang={i18n.language} />
      ))}
      {a.abilities.manage && (
        <Group align="flex-end" gap="xs">
          <TextInput
            size="xs"
            w={110}
            label={t('assistance.return.country')}
            value={country}
            maxLength={2}
            onChange={(e) => setCountry(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            style={{ flex: 1 }}
            label={t('assistance.return.receivingOrganisation')}
            value={org}
            onChange={(e) => setOrg(e.currentTarget.value)}
          />
          <Button size="xs" variant="light" onClick={() => request.mutate()} disabled={country.trim().length !== 2}>
            {t('assistance.return.request')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={request.error} />
    </Stack>
  );
}

function ReturnRow({
  r,
  manage,
  onDone,
  lang,
}: {
  r: TReturn;
  manage: boolean;
  onDone: (a: TAssistance) => void;
  lang: string;
}) {
  const { t } = useTranslation();
  const [risk, setRisk] = useState('medium');
  const [summary, setSummary] = useState('');
  const [inBestInterests, setInBestInterests] = useState(false);
  const [returnDate, setReturnDate] = useState(todayLocal());
  const assessM = useMutation({
    mutationFn: () =>
      assess(r.id, {
        assessedOn: todayLocal(),
        riskLevel: risk,
        summary,
        inChildsBestInterests: r.forChild ? inBestInterests : null,
        version: r.version,
      }),
    onSuccess: onDone,
  });
  const decideM = useMutation({
    mutationFn: (decision: string) =>
      decide(r.id, { decision, returnDate: decision === 'complete' ? returnDate : null, version: r.version }),
    onSuccess: onDone,
  });
  const childBlocked = r.forChild && r.risk?.inChildsBestInterests !== true;
  return (
    <Stack gap={4} data-testid="return-row" data-state={r.state}>
      <Text size="sm">
        {r.destinationCountry} · {t(`assistance.return.state.${r.state}`)}
        {r.receivingOrganisation ? ` · ${r.receivingOrganisation}` : ''}
        {r.risk ? ` · ${t('assistance.needs.risk')}: ${t(`assistance.risk.${r.risk.riskLevel}`)}` : ''}
        {r.followUps.length > 0 &&
          ` · ${t('assistance.return.followUps')}: ${r.followUps
            .map((f) => `${formatDate(f.dueOn, lang)}${f.doneOn ? ' ✓' : ''}`)
            .join(', ')}`}
      </Text>
      {r.forChild && r.risk && childBlocked && (
        <Badge color="red" variant="light">
          {t('assistance.return.childBlocked')}
        </Badge>
      )}
      {manage && ['requested', 'assessed'].includes(r.state) && (
        <Group align="flex-end" gap="xs">
          <NativeSelect
            size="xs"
            label={t('assistance.needs.risk')}
            value={risk}
            data={RISK_LEVELS.map((l) => ({ value: l, label: t(`assistance.risk.${l}`) }))}
            onChange={(e) => setRisk(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            style={{ flex: 1 }}
            label={t('assistance.return.riskSummary')}
            value={summary}
            onChange={(e) => setSummary(e.currentTarget.value)}
          />
          {r.forChild && (
            <Checkbox
              label={t('assistance.return.inBestInterests')}
              checked={inBestInterests}
              onChange={(e) => setInBestInterests(e.currentTarget.checked)}
            />
          )}
          <Button size="xs" variant="light" onClick={() => assessM.mutate()} disabled={!summary.trim()}>
            {t('assistance.return.assess')}
          </Button>
        </Group>
      )}
      {manage && (
        <Group gap="xs">
          {r.state === 'assessed' && !childBlocked && (
            <Button size="compact-xs" color="teal" onClick={() => decideM.mutate('approve')}>
              {t('assistance.return.approve')}
            </Button>
          )}
          {r.state === 'approved' && (
            <>
              <TextInput
                size="xs"
                type="date"
                aria-label={t('assistance.return.returnDate')}
                value={returnDate}
                onChange={(e) => setReturnDate(e.currentTarget.value)}
              />
              <Button size="compact-xs" color="teal" onClick={() => decideM.mutate('complete')}>
                {t('assistance.return.complete')}
              </Button>
            </>
          )}
          {['requested', 'assessed'].includes(r.state) && (
            <Button size="compact-xs" variant="light" color="red" onClick={() => decideM.mutate('refuse')}>
              {t('assistance.return.refuse')}
            </Button>
          )}
        </Group>
      )}
      <ErrorAlert error={assessM.error ?? decideM.error} />
    </Stack>
  );
}
