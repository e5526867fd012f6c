import {
  Alert,
  Button,
  Card,
  Center,
  Checkbox,
  Group,
  Loader,
  Radio,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import {
  EARLY_END_REASONS,
  FINAL_OUTCOMES,
  PRELIMINARY_OUTCOMES,
  PROCEDURAL_ROLES,
  PROCEEDING_STAGES,
  RESIDENCE_PERMIT_EVENTS,
  type TCaseStatus,
  type TDecision,
} from '@opennrm/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';
import { formatDate } from '../cases/options.ts';
import { StatusSummary } from './StatusPanel.tsx';
import { statusApi, todayLocal } from './statusApi.ts';

/** Runs a call, keeps its error and field errors, and puts the fresh status in the cache. */
function useAction(caseId: string) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<TCaseStatus | unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const res = await fn();
      if (res && typeof res === 'object' && 'traffickingStatus' in res)
        queryClient.setQueryData(['status', caseId], res);
      void queryClient.invalidateQueries({ queryKey: ['status', caseId] });
      void queryClient.invalidateQueries({ queryKey: ['proceedings', caseId] });
      return true;
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fieldErrors());
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, error, fields, busy };
}

/** Status and decisions of a case: the competent authority decides here; the holder follows. */
export function CaseStatusPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const status = useQuery({ queryKey: ['status', id], queryFn: () => statusApi.status(id) });
  if (status.error instanceof ApiError && status.error.status === 404) return <NotFoundPage />;
  if (status.error) return <ErrorAlert error={status.error} onReload={() => void status.refetch()} />;
  if (!status.data)
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  const s = status.data;
  const prelim = s.decisions.some((d) => d.kind === 'preliminary');
  return (
    <Stack maw={960}>
      <div>
        <Text size="sm">
          <Link to={`/cases/${s.caseId}`}>{t('status.backToCase')}</Link>
        </Text>
        <Title order={1} data-testid="status-case-number">
          {t('status.pageTitle', { number: s.caseNumber })}
        </Title>
      </div>
      <Card withBorder padding="md">
        <StatusSummary s={s} />
      </Card>
      <Decisions s={s} />
      {s.abilities.decide && <DecisionForm s={s} kind={prelim ? 'final' : 'preliminary'} />}
      {s.reflection && s.abilities.managePeriod && <PeriodForms s={s} />}
      <Permits s={s} />
      {s.abilities.proceedings && <Proceedings caseId={s.caseId} />}
    </Stack>
  );
}

function Decisions({ s }: { s: TCaseStatus }) {
  const { t, i18n } = useTranslation();
  const act = useAction(s.caseId);
  if (!s.decisions.length) return null;
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h4" mb="sm">
        {t('status.decisions')}
      </Title>
      <Stack gap="sm">
        {s.decisions.map((d) => (
          <div key={d.id} data-testid="decision">
            <Text size="sm" fw={600}>
              {t(`status.kind.${d.kind}`)}: {t(`status.outcome.${d.outcome}`)} ·{' '}
              {formatDate(d.decidedOn, i18n.language)}
            </Text>
            <Text size="xs" c="dimmed">
              {d.decidedBy.displayName} ({d.agency.name}) · {d.legalBasis}
              {d.requestedByPerson ? ` · ${t('status.requestedByPerson')}` : ''}
              {d.reviewOf ? ` · ${t('status.isReview')}` : ''}
            </Text>
            {d.reasons && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {d.reasons}
              </Text>
            )}
            {d.review && (
              <Text size="xs" c={d.review.overdue ? 'red' : 'dimmed'}>
                {t('status.reviewRequested', {
                  date: formatDate(d.review.requestedOn, i18n.language),
                  due: formatDate(d.review.dueOn, i18n.language),
                })}
              </Text>
            )}
            {s.abilities.requestReview && !d.review && ['not_presumed_victim', 'not_victim'].includes(d.outcome) && (
              <Button
                size="xs"
                variant="light"
                mt={4}
                loading={act.busy}
                onClick={() => void act.run(() => statusApi.requestReview(d.id, todayLocal()))}
              >
                {t('status.requestReview')}
              </Button>
            )}
            {s.abilities.decide && d.review && !d.review.decidedBy && <DecisionForm s={s} kind={d.kind} reviewOf={d} />}
          </div>
        ))}
        <ErrorAlert error={act.error} />
      </Stack>
    </Card>
  );
}

function DecisionForm({ s, kind, reviewOf }: { s: TCaseStatus; kind: 'preliminary' | 'final'; reviewOf?: TDecision }) {
  const { t, i18n } = useTranslation();
  const act = useAction(s.caseId);
  const outcomes = kind === 'preliminary' ? PRELIMINARY_OUTCOMES : FINAL_OUTCOMES;
  const [outcome, setOutcome] = useState<string>(outcomes[0]);
  const [reasons, setReasons] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [decidedOn, setDecidedOn] = useState(todayLocal());
  const [requested, setRequested] = useState(false);
  const final = kind === 'final';
  if (final && s.decisions.some((d) => d.kind === 'final') && !reviewOf) return null;
  if (final && !reviewOf && !s.decisions.some((d) => d.kind === 'preliminary' && d.outcome === 'presumed_victim'))
    return null;
  const submit = () => {
    const body = final
      ? {
          kind: 'final' as const,
          outcome: outcome as 'victim',
          reasons,
          legalBasis,
          decidedOn,
          requestedByPerson: requested,
        }
      : { kind: 'preliminary' as const, outcome: outcome as 'presumed_victim', reasons, legalBasis, decidedOn };
    void act.run(() => (reviewOf ? statusApi.review(reviewOf.id, body) : statusApi.decide(s.caseId, body)));
  };
  const reflectionRunning = s.reflection?.running && !s.reflection.endedOn;
  return (
    <Card withBorder padding="md" data-testid={`decision-form-${kind}`}>
      <Title order={2} size="h4" mb="sm">
        {reviewOf ? t('status.reviewTitle') : t(`status.decideTitle.${kind}`)}
      </Title>
      <Stack gap="sm">
        <Alert color="blue" variant="light" data-testid="no-cooperation-notice">
          {t('status.noCooperationNotice')}
        </Alert>
        {final && reflectionRunning && s.reflection && (
          <Alert color="yellow" variant="light">
            {t('status.finalWaits', { date: formatDate(s.reflection.plannedEnd, i18n.language) })}
          </Alert>
        )}
        <Radio.Group label={t('status.outcomeLabel')} value={outcome} onChange={setOutcome} required>
          <Group mt={4}>
            {outcomes.map((o) => (
              <Radio key={o} value={o} label={t(`status.outcome.${o}`)} />
            ))}
          </Group>
        </Radio.Group>
        <Textarea
          label={t('status.reasons')}
          required
          autosize
          minRows={3}
          value={reasons}
          onChange={(e) => setReasons(e.currentTarget.value)}
          error={act.fields.reasons}
        />
        <TextInput
          label={t('status.legalBasis')}
          required
          value={legalBasis}
          onChange={(e) => setLegalBasis(e.currentTarget.value)}
          error={act.fields.legalBasis}
        />
        <TextInput
          type="date"
          label={t('status.decidedOn')}
          required
          value={decidedOn}
          onChange={(e) => setDecidedOn(e.currentTarget.value)}
          error={act.fields.decidedOn}
        />
        {final && (
          <Checkbox
            label={t('status.requestedByPerson')}
            checked={requested}
            onChange={(e) => setRequested(e.currentTarget.checked)}
            error={act.fields.requestedByPerson}
          />
        )}
        <ErrorAlert error={act.error} />
        <Group>
          <Button onClick={submit} loading={act.busy}>
            {t('status.submitDecision')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function PeriodForms({ s }: { s: TCaseStatus }) {
  const { t } = useTranslation();
  const act = useAction(s.caseId);
  const p = s.reflection!;
  const [plannedEnd, setPlannedEnd] = useState(p.plannedEnd);
  const [reason, setReason] = useState<string | null>(null);
  const [justification, setJustification] = useState('');
  const [endedOn, setEndedOn] = useState(todayLocal());
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h4" mb="sm">
        {t('status.reflection.manage')}
      </Title>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('status.reflection.minimumNote')}
        </Text>
        <Group align="flex-end">
          <TextInput
            type="date"
            label={t('status.reflection.newEnd')}
            value={plannedEnd}
            onChange={(e) => setPlannedEnd(e.currentTarget.value)}
            error={act.fields.plannedEnd}
          />
          <Button
            variant="light"
            loading={act.busy}
            onClick={() => void act.run(() => statusApi.extend(p.id, { plannedEnd, version: p.version }))}
          >
            {t('status.reflection.extend')}
          </Button>
        </Group>
        <Select
          label={t('status.reflection.earlyEndReason')}
          data={EARLY_END_REASONS.map((r) => ({ value: r, label: t(`status.earlyEndReason.${r}`) }))}
          value={reason}
          onChange={setReason}
          error={act.fields.reason}
        />
        <Textarea
          label={t('status.reflection.justification')}
          autosize
          minRows={2}
          value={justification}
          onChange={(e) => setJustification(e.currentTarget.value)}
          error={act.fields.justification}
        />
        <TextInput
          type="date"
          label={t('status.reflection.endedOn')}
          value={endedOn}
          onChange={(e) => setEndedOn(e.currentTarget.value)}
          error={act.fields.endedOn}
        />
        <ErrorAlert error={act.error} />
        <Group>
          <Button
            color="red"
            variant="light"
            loading={act.busy}
            onClick={() =>
              void act.run(() =>
                statusApi.endEarly(p.id, {
                  reason: reason as 'public_order',
                  justification,
                  endedOn,
                  version: p.version,
                }),
              )
            }
          >
            {t('status.reflection.endEarly')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function Permits({ s }: { s: TCaseStatus }) {
  const { t, i18n } = useTranslation();
  const act = useAction(s.caseId);
  const [event, setEvent] = useState<string | null>('applied');
  const [date, setDate] = useState(todayLocal());
  const [validUntil, setValidUntil] = useState('');
  if (!s.residencePermits.length && !s.abilities.recordPermit) return null;
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h4" mb="sm">
        {t('status.permits.title')}
      </Title>
      <Stack gap="xs">
        {s.residencePermits.map((p) => (
          <Text key={p.id} size="sm">
            {formatDate(p.date, i18n.language)} · {t(`status.permits.event.${p.event}`)}
            {p.validUntil ? ` · ${t('status.permits.validUntil')} ${formatDate(p.validUntil, i18n.language)}` : ''}
          </Text>
        ))}
        {s.abilities.recordPermit && (
          <Group align="flex-end">
            <Select
              label={t('status.permits.eventLabel')}
              data={RESIDENCE_PERMIT_EVENTS.map((e) => ({ value: e, label: t(`status.permits.event.${e}`) }))}
              value={event}
              onChange={setEvent}
            />
            <TextInput
              type="date"
              label={t('status.permits.date')}
              value={date}
              onChange={(e) => setDate(e.currentTarget.value)}
              error={act.fields.date}
            />
            <TextInput
              type="date"
              label={t('status.permits.validUntil')}
              value={validUntil}
              onChange={(e) => setValidUntil(e.currentTarget.value)}
              error={act.fields.validUntil}
            />
            <Button
              variant="light"
              loading={act.busy}
              onClick={() =>
                void act.run(() =>
                  statusApi.recordPermit(s.caseId, {
                    event: event as 'applied',
                    date,
                    validUntil: validUntil || null,
                  }),
                )
              }
            >
              {t('status.permits.record')}
            </Button>
          </Group>
        )}
        <ErrorAlert error={act.error} />
      </Stack>
    </Card>
  );
}

function Proceedings({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ['proceedings', caseId], queryFn: () => statusApi.proceedings(caseId) });
  const act = useAction(caseId);
  const [registerNumber, setRegisterNumber] = useState('');
  const [article, setArticle] = useState('128');
  const [stage, setStage] = useState<string | null>('pre_trial_investigation');
  const [role, setRole] = useState<string | null>('victim');
  const [nonPunishment, setNonPunishment] = useState(false);
  const [compensation, setCompensation] = useState(false);
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h4" mb="xs">
        {t('status.proceedings.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('status.proceedings.notRequired')}
      </Text>
      {list.data && list.data.items.length > 0 && (
        <Table mb="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('status.proceedings.registerNumber')}</Table.Th>
              <Table.Th>{t('status.proceedings.article')}</Table.Th>
              <Table.Th>{t('status.proceedings.stage')}</Table.Th>
              <Table.Th>{t('status.proceedings.role')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.registerNumber}</Table.Td>
                <Table.Td>{p.article}</Table.Td>
                <Table.Td>{t(`status.proceedings.stages.${p.stage}`)}</Table.Td>
                <Table.Td>
                  {t(`status.proceedings.roles.${p.proceduralRole}`)}
                  {p.nonPunishmentRequested ? ` · ${t('status.proceedings.nonPunishment')}` : ''}
                  {p.compensationClaimed ? ` · ${t('status.proceedings.compensation')}` : ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Stack gap="xs">
        <Group align="flex-end">
          <TextInput
            label={t('status.proceedings.registerNumber')}
            value={registerNumber}
            onChange={(e) => setRegisterNumber(e.currentTarget.value)}
            error={act.fields.registerNumber}
          />
          <TextInput
            label={t('status.proceedings.article')}
            value={article}
            onChange={(e) => setArticle(e.currentTarget.value)}
            error={act.fields.article}
            w={120}
          />
          <Select
            label={t('status.proceedings.stage')}
            data={PROCEEDING_STAGES.map((v) => ({ value: v, label: t(`status.proceedings.stages.${v}`) }))}
            value={stage}
            onChange={setStage}
          />
          <Select
            label={t('status.proceedings.role')}
            data={PROCEDURAL_ROLES.map((v) => ({ value: v, label: t(`status.proceedings.roles.${v}`) }))}
            value={role}
            onChange={setRole}
          />
        </Group>
        <Checkbox
          label={t('status.proceedings.nonPunishment')}
          checked={nonPunishment}
          onChange={(e) => setNonPunishment(e.currentTarget.checked)}
        />
        <Checkbox
          label={t('status.proceedings.compensation')}
          checked={compensation}
          onChange={(e) => setCompensation(e.currentTarget.checked)}
        />
        <ErrorAlert error={act.error} />
        <Group>
          <Button
            variant="light"
            loading={act.busy}
            onClick={() =>
              void act.run(() =>
                statusApi.createProceeding(caseId, {
                  registerNumber,
                  article,
                  stage: stage as 'trial',
                  proceduralRole: role as 'victim',
                  protectionMeasures: [],
                  nonPunishmentRequested: nonPunishment,
                  compensationClaimed: compensation,
                }),
              )
            }
          >
            {t('status.proceedings.add')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
