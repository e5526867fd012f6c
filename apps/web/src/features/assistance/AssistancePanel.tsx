import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Divider,
  FileInput,
  Group,
  NativeSelect,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import {
  ATTACHMENT_TYPES,
  NEED_AREAS,
  NEED_LEVELS,
  RISK_LEVELS,
  SERVICE_CATALOGUE,
  SERVICE_CATEGORIES,
  type TAssistance,
  type TServiceCategory,
} from '@opennrm/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { useCan, useUser } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDate } from '../cases/options.ts';
import { todayLocal } from '../status/statusApi.ts';
import { assistanceApi, fileToBase64 } from './assistanceApi.ts';
import { GoalsSection } from './GoalsSection.tsx';
import { ReturnSection } from './ReturnSection.tsx';

const STATUS_COLOR: Record<string, string> = {
  planned: 'gray',
  requested: 'blue',
  in_progress: 'yellow',
  delivered: 'teal',
  cancelled: 'gray',
  declined: 'red',
};

/** The first field message of a failed call, else its translated message. */
function FieldErrors({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !error.fields.length) return <ErrorAlert error={error} />;
  return (
    <Alert color="red" role="alert" variant="light">
      {error.fields.map((f) => (
        <Text size="sm" key={f.path + f.code}>
          {f.message}
        </Text>
      ))}
    </Alert>
  );
}

/**
 * On the case page of the holding agency: needs, the individual plan's services and their progress,
 * child protection, return, notes and attachments, closure. Assistance never depends on cooperating
 * with the police (CoE art. 12(6)) and needs the person's consent (12(7)).
 */
export function AssistancePanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['assistance', caseId], queryFn: () => assistanceApi.read(caseId) });
  const set = (a: TAssistance) => {
    qc.setQueryData(['assistance', caseId], a);
    void qc.invalidateQueries({ queryKey: ['referrals'] });
  };
  if (!q.data) return q.error ? <ErrorAlert error={q.error} /> : null;
  const a = q.data;
  return (
    <Card withBorder padding="md" data-testid="assistance-panel">
      <Title order={2} size="h4" mb="sm">
        {t('assistance.title')}
      </Title>
      <Stack gap="md">
        <Alert color="blue" variant="light" data-testid="assistance-unconditional">
          {t('assistance.unconditional')}
        </Alert>
        {!a.consent && (
          <Alert color="yellow" variant="light" data-testid="assistance-no-consent">
            {t('assistance.noConsent')}
          </Alert>
        )}
        {a.stage === 'closed' && <Badge color="gray">{t('assistance.closed')}</Badge>}
        <ProgressLine a={a} />
        <Needs a={a} onDone={set} />
        <GoalsSection a={a} onDone={set} />
        <Services a={a} onDone={set} />
        {a.child && <Child a={a} onDone={set} />}
        <ReturnSection a={a} onDone={set} />
        <Notes caseId={caseId} />
        <Attachments caseId={caseId} />
        <Closure a={a} onDone={set} />
      </Stack>
    </Card>
  );
}

function ProgressLine({ a }: { a: TAssistance }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" data-testid="plan-progress" data-delivered={a.progress.delivered} data-total={a.progress.total}>
        {t('assistance.progress', { delivered: a.progress.delivered, total: a.progress.total })}
      </Text>
      <Progress value={a.progress.percent} color="teal" aria-label={t('assistance.progressLabel')} />
    </Stack>
  );
}

function Needs({ a, onDone }: { a: TAssistance; onDone: (a: TAssistance) => void }) {
  const { t } = useTranslation();
  const [levels, setLevels] = useState<Record<string, string>>({});
  const [risk, setRisk] = useState<string>('medium');
  const [notes, setNotes] = useState('');
  const save = useMutation({
    mutationFn: () =>
      assistanceApi.assessNeeds(a.caseId, {
        assessedOn: todayLocal(),
        areas: Object.fromEntries(Object.entries(levels).filter(([, v]) => v !== 'none')),
        riskLevel: risk,
        notes,
      }),
    onSuccess: (x) => {
      onDone(x);
      setLevels({});
      setNotes('');
    },
  });
  const latest = a.needs[0];
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('assistance.needs.title')}
      </Title>
      {latest ? (
        <Text size="sm" data-testid="needs-latest">
          {t('assistance.needs.latest', {
            date: formatDate(latest.assessedOn, 'en'),
            risk: t(`assistance.risk.${latest.riskLevel}`),
          })}{' '}
          {Object.entries(latest.areas)
            .filter(([, v]) => v !== 'none')
            .map(([k, v]) => `${t(`assistance.area.${k}`)}: ${t(`assistance.level.${v}`)}`)
            .join(' · ')}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          {t('assistance.needs.none')}
        </Text>
      )}
      {a.abilities.manage && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs">
            {NEED_AREAS.map((area) => (
              <NativeSelect
                key={area}
                size="xs"
                label={t(`assistance.area.${area}`)}
                value={levels[area] ?? 'none'}
                data={NEED_LEVELS.map((l) => ({ value: l, label: t(`assistance.level.${l}`) }))}
                onChange={(e) => setLevels({ ...levels, [area]: e.currentTarget.value })}
              />
            ))}
            <NativeSelect
              size="xs"
              label={t('assistance.needs.risk')}
              value={risk}
              data={RISK_LEVELS.map((l) => ({ value: l, label: t(`assistance.risk.${l}`) }))}
              onChange={(e) => setRisk(e.currentTarget.value)}
            />
          </SimpleGrid>
          <Textarea
            size="xs"
            label={t('assistance.needs.notes')}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
          />
          <FieldErrors error={save.error} />
          <Group>
            <Button size="xs" onClick={() => save.mutate()} loading={save.isPending}>
              {t('assistance.needs.save')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}

function Services({ a, onDone }: { a: TAssistance; onDone: (a: TAssistance) => void }) {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const [category, setCategory] = useState<TServiceCategory>('shelter');
  const [provider, setProvider] = useState('');
  const [plannedStart, setPlannedStart] = useState(todayLocal());
  const [override, setOverride] = useState('');
  const purpose = SERVICE_CATALOGUE[category].purpose;
  const directory = useQuery({
    queryKey: ['directory', purpose],
    queryFn: () => endpoints.directory({ service: purpose, active: 'true' }),
  });
  const providers = [
    { value: user.agency.id, label: user.agency.name },
    ...(directory.data?.items ?? [])
      .filter((x) => x.id !== user.agency.id)
      .map((x) => ({ value: x.id, label: x.name })),
  ];
  const chosen = providers.some((p) => p.value === provider) ? provider : user.agency.id;
  const add = useMutation({
    mutationFn: () =>
      assistanceApi.planService(a.caseId, {
        category,
        providerAgencyId: chosen,
        plannedStart,
        overrideReason: override.trim() || null,
      }),
    onSuccess: (x) => {
      onDone(x);
      setOverride('');
    },
  });
  const deliver = useMutation({
    mutationFn: (s: { id: string; version: number }) =>
      assistanceApi.updateService(s.id, {
        status: 'delivered',
        actualEnd: todayLocal(),
        outcome: 'achieved',
        version: s.version,
      }),
    onSuccess: onDone,
  });
  const overCapacity = add.error instanceof ApiError && add.error.fields.some((f) => f.code === 'over_capacity');
  const lang = i18n.language;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('assistance.services.title')}
      </Title>
      {a.services.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('assistance.services.none')}
        </Text>
      ) : (
        <Table striped withTableBorder data-testid="services-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('assistance.services.category')}</Table.Th>
              <Table.Th>{t('assistance.services.provider')}</Table.Th>
              <Table.Th>{t('assistance.services.dates')}</Table.Th>
              <Table.Th>{t('assistance.services.status')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {a.services.map((s) => (
              <Table.Tr key={s.id} data-testid={`service-${s.category}`} data-status={s.status}>
                <Table.Td>{t(`assistance.category.${s.category}`)}</Table.Td>
                <Table.Td>{s.provider.name}</Table.Td>
                <Table.Td>
                  {formatDate(s.plannedStart, lang)}
                  {s.actualEnd ? ` → ${formatDate(s.actualEnd, lang)}` : ''}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Badge size="sm" variant="light" color={STATUS_COLOR[s.status]}>
                      {t(`assistance.status.${s.status}`)}
                    </Badge>
                    {s.overCapacity && (
                      <Badge size="sm" color="red" variant="filled" data-testid="over-capacity-flag">
                        {t('assistance.services.overCapacity')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {a.abilities.manage && !s.referralId && ['planned', 'in_progress'].includes(s.status) && (
                    <Button
                      size="compact-xs"
                      variant="light"
                      onClick={() => deliver.mutate(s)}
                      aria-label={t('assistance.services.markDeliveredOf', {
                        category: t(`assistance.category.${s.category}`),
                      })}
                    >
                      {t('assistance.services.markDelivered')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <FieldErrors error={deliver.error} />
      {a.abilities.manage && (
        <Stack gap="xs">
          <Group align="flex-end" gap="xs">
            <NativeSelect
              size="xs"
              label={t('assistance.services.category')}
              value={category}
              data={SERVICE_CATEGORIES.map((c) => ({ value: c, label: t(`assistance.category.${c}`) }))}
              onChange={(e) => setCategory(e.currentTarget.value as TServiceCategory)}
            />
            <NativeSelect
              size="xs"
              label={t('assistance.services.provider')}
              value={chosen}
              data={providers}
              onChange={(e) => setProvider(e.currentTarget.value)}
            />
            <TextInput
              size="xs"
              type="date"
              label={t('assistance.services.plannedStart')}
              value={plannedStart}
              onChange={(e) => setPlannedStart(e.currentTarget.value)}
            />
            <Button size="xs" onClick={() => add.mutate()} loading={add.isPending} disabled={!a.consent}>
              {t('assistance.services.add')}
            </Button>
          </Group>
          {chosen !== user.agency.id && (
            <Text size="xs" c="dimmed">
              {t('assistance.services.viaReferral')}
            </Text>
          )}
          {(overCapacity || override) && (
            <Textarea
              size="xs"
              label={t('assistance.services.overrideReason')}
              value={override}
              onChange={(e) => setOverride(e.currentTarget.value)}
            />
          )}
          <FieldErrors error={add.error} />
        </Stack>
      )}
    </Stack>
  );
}

function Child({ a, onDone }: { a: TAssistance; onDone: (a: TAssistance) => void }) {
  const { t } = useTranslation();
  const c = a.child!;
  const [unaccompanied, setUnaccompanied] = useState(c.unaccompanied);
  const [role, setRole] = useState(c.guardianRole ?? '');
  const [appointed, setAppointed] = useState(c.guardianAppointedOn ?? '');
  const [bestInterests, setBestInterests] = useState(c.bestInterestsAssessedOn ?? '');
  const save = useMutation({
    mutationFn: () =>
      assistanceApi.saveChild(a.caseId, {
        unaccompanied,
        guardianRole: role || null,
        guardianAppointedOn: appointed || null,
        bestInterestsAssessedOn: bestInterests || null,
        familyTracing: c.familyTracing,
        version: c.version,
      }),
    onSuccess: onDone,
  });
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('assistance.child.title')}
      </Title>
      <Group gap="xs">
        {c.guardianMissing && <Badge color="red">{t('assistance.child.guardianMissing')}</Badge>}
        {!c.bestInterestsAssessedOn && <Badge color="yellow">{t('assistance.child.bestInterestsMissing')}</Badge>}
        {!c.educationPlanned && <Badge color="yellow">{t('assistance.child.educationMissing')}</Badge>}
      </Group>
      {a.abilities.manage && (
        <Group align="flex-end" gap="xs">
          <Checkbox
            label={t('assistance.child.unaccompanied')}
            checked={unaccompanied}
            onChange={(e) => setUnaccompanied(e.currentTarget.checked)}
          />
          <NativeSelect
            size="xs"
            label={t('assistance.child.guardianRole')}
            value={role}
            data={[
              { value: '', label: '—' },
              ...['legal_guardian', 'representative', 'parent', 'guardianship_authority'].map((r) => ({
                value: r,
                label: t(`assistance.child.role.${r}`),
              })),
            ]}
            onChange={(e) => setRole(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            type="date"
            label={t('assistance.child.appointedOn')}
            value={appointed}
            onChange={(e) => setAppointed(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            type="date"
            label={t('assistance.child.bestInterestsOn')}
            value={bestInterests}
            onChange={(e) => setBestInterests(e.currentTarget.value)}
          />
          <Button size="xs" onClick={() => save.mutate()} loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      )}
      <FieldErrors error={save.error} />
    </Stack>
  );
}

function Notes({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const notes = useQuery({ queryKey: ['notes', caseId], queryFn: () => assistanceApi.notes(caseId) });
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: () => assistanceApi.addNote(caseId, text),
    onSuccess: (x) => {
      qc.setQueryData(['notes', caseId], x);
      setText('');
    },
  });
  return (
    <Stack gap="xs">
      <Divider />
      <Title order={3} size="h5">
        {t('assistance.notes.title')}
      </Title>
      {(notes.data?.items ?? []).map((n) => (
        <Text size="sm" key={n.id}>
          <Text span c="dimmed" size="xs">
            {formatDate(n.createdAt.slice(0, 10), i18n.language)} · {n.author.displayName}:
          </Text>{' '}
          {n.text}
        </Text>
      ))}
      <Group align="flex-end" gap="xs">
        <Textarea
          size="xs"
          style={{ flex: 1 }}
          label={t('assistance.notes.add')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <Button size="xs" onClick={() => add.mutate()} disabled={!text.trim()} loading={add.isPending}>
          {t('common.save')}
        </Button>
      </Group>
      <FieldErrors error={add.error} />
    </Stack>
  );
}

function Attachments({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['attachments', caseId], queryFn: () => assistanceApi.attachments(caseId) });
  const [file, setFile] = useState<File | null>(null);
  const [category, setCategory] = useState('documents');
  const upload = useMutation({
    mutationFn: async () =>
      assistanceApi.upload(caseId, {
        fileName: file!.name,
        contentType: file!.type || 'text/plain',
        category,
        data: await fileToBase64(file!),
      }),
    onSuccess: (x) => {
      qc.setQueryData(['attachments', caseId], x);
      setFile(null);
    },
  });
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('assistance.attachments.title')}
      </Title>
      {(list.data?.items ?? []).map((f) => (
        <Text size="sm" key={f.id}>
          {/* The file name is shown, never put in the URL. */}
          <Anchor href={`/api/attachments/${f.id}/content`} download={f.fileName}>
            {f.fileName}
          </Anchor>{' '}
          <Text span size="xs" c="dimmed">
            {t(`assistance.attachments.category.${f.category}`)} · {Math.ceil(f.size / 1024)} KB
          </Text>
        </Text>
      ))}
      <Group align="flex-end" gap="xs">
        <FileInput
          size="xs"
          label={t('assistance.attachments.file')}
          accept={ATTACHMENT_TYPES.join(',')}
          value={file}
          onChange={setFile}
          clearable
        />
        <NativeSelect
          size="xs"
          label={t('assistance.attachments.categoryLabel')}
          value={category}
          data={['documents', 'medical', 'other'].map((c) => ({
            value: c,
            label: t(`assistance.attachments.category.${c}`),
          }))}
          onChange={(e) => setCategory(e.currentTarget.value)}
        />
        <Button size="xs" onClick={() => upload.mutate()} disabled={!file} loading={upload.isPending}>
          {t('assistance.attachments.upload')}
        </Button>
      </Group>
      <FieldErrors error={upload.error} />
    </Stack>
  );
}

function Closure({ a, onDone }: { a: TAssistance; onDone: (a: TAssistance) => void }) {
  const { t, i18n } = useTranslation();
  const canSupervise = useCan('cases.supervise');
  const reasons = useQuery({ queryKey: ['closure-reasons'], queryFn: assistanceApi.closureReasons });
  const [reason, setReason] = useState('assistance_completed');
  const [justification, setJustification] = useState('');
  const [reopenReason, setReopenReason] = useState('');
  const request = useMutation({
    mutationFn: () => assistanceApi.requestClosure(a.caseId, { reason, justification }),
    onSuccess: onDone,
  });
  const decide = useMutation({
    mutationFn: (x: { id: string; approve: boolean }) => assistanceApi.decideClosure(x.id, x.approve),
    onSuccess: onDone,
  });
  const reopen = useMutation({ mutationFn: () => assistanceApi.reopen(a.caseId, reopenReason), onSuccess: onDone });
  const pending = a.closures.find((k) => k.state === 'requested');
  const lang = i18n.language as 'en';
  const label = (code: string) =>
    reasons.data?.local.find((r) => r.code === code)?.labels[lang] ?? t(`assistance.closure.reason.${code}`);
  const options = [
    ...(reasons.data?.fixed ?? []),
    ...(reasons.data?.local ?? []).filter((r) => r.active).map((r) => r.code),
  ].map((c) => ({ value: c, label: label(c) }));
  return (
    <Stack gap="xs">
      <Divider />
      <Title order={3} size="h5">
        {t('assistance.closure.title')}
      </Title>
      {a.closures.map((k) => (
        <Text size="sm" key={k.id} data-testid="closure-row" data-state={k.state}>
          {label(k.reason)} · {t(`assistance.closure.state.${k.state}`)} · {k.requestedBy.displayName}
          {k.decidedBy ? ` → ${k.decidedBy.displayName}` : ''}
          {k.reopenReason ? ` · ${t('assistance.closure.reopened')}: ${k.reopenReason}` : ''}
        </Text>
      ))}
      {pending && canSupervise && (
        <Group gap="xs">
          <Button size="xs" color="teal" onClick={() => decide.mutate({ id: pending.id, approve: true })}>
            {t('assistance.closure.approve')}
          </Button>
          <Button
            size="xs"
            variant="light"
            color="red"
            onClick={() => decide.mutate({ id: pending.id, approve: false })}
          >
            {t('assistance.closure.reject')}
          </Button>
        </Group>
      )}
      {!pending && a.stage !== 'closed' && a.abilities.manage && (
        <Group align="flex-end" gap="xs">
          <NativeSelect
            size="xs"
            label={t('assistance.closure.reasonLabel')}
            value={reason}
            data={options}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            style={{ flex: 1 }}
            label={t('assistance.closure.justification')}
            value={justification}
            onChange={(e) => setJustification(e.currentTarget.value)}
          />
          <Button size="xs" variant="light" onClick={() => request.mutate()} disabled={!justification.trim()}>
            {t('assistance.closure.request')}
          </Button>
        </Group>
      )}
      {a.stage === 'closed' && canSupervise && (
        <Group align="flex-end" gap="xs">
          <TextInput
            size="xs"
            style={{ flex: 1 }}
            label={t('assistance.closure.reopenReason')}
            value={reopenReason}
            onChange={(e) => setReopenReason(e.currentTarget.value)}
          />
          <Button size="xs" variant="light" onClick={() => reopen.mutate()} disabled={!reopenReason.trim()}>
            {t('assistance.closure.reopen')}
          </Button>
        </Group>
      )}
      <FieldErrors error={request.error ?? decide.error ?? reopen.error} />
    </Stack>
  );
}
