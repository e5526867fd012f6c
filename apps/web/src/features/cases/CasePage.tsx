import {
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import type { TCaseDetail, TLocale, TScreeningResult } from '@opennrm/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { endpoints, type TScreeningRecord } from '../../api/endpoints.ts';
import { useCan } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { AssistancePanel } from '../assistance/AssistancePanel.tsx';
import { EmergencyBanner, EmergencyRequestCard, useCanRequestEmergency } from '../emergency/EmergencyAccess.tsx';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';
import { CaseReferralPanels } from '../referrals/CaseReferralPanels.tsx';
import { SharedCaseView } from '../referrals/SharedCaseView.tsx';
import { ScreeningResultCard } from '../screening/ScreeningResultCard.tsx';
import { StatusPanel } from '../status/StatusPanel.tsx';
import { formFromDetail, formPath, type TCaseForm, type TFormErrors, validateCase } from './caseForm.ts';
import { CaseFormSections, sectionOf, type TSection, useErrorMessages } from './CaseFormSections.tsx';
import { ChildBadge, OutcomeBadge, StageBadge } from './CaseListPage.tsx';
import { countryName, formatDate, languageName } from './options.ts';

/** One case: header, person and case details, edit, latest screening, timeline, screening history. */
export function CasePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const created = (location.state as { created?: string } | null)?.created;
  const canScreen = useCan('screening.perform');
  const queryClient = useQueryClient();
  const canRequestEmergency = useCanRequestEmergency();
  const detail = useQuery({ queryKey: ['case', id], queryFn: () => endpoints.caseView(id) });
  // The timeline is the holder's; a referral receiver's view has no screening history.
  const holder = detail.data?.access.kind === 'holder';
  const timeline = useQuery({
    queryKey: ['timeline', id],
    queryFn: () => endpoints.caseTimeline(id),
    enabled: holder,
  });
  const screenings = useQuery({
    queryKey: ['screenings', id],
    queryFn: () => endpoints.caseScreenings(id),
    enabled: detail.isSuccess && !('basics' in detail.data),
  });
  const [editing, setEditing] = useState<TCaseForm | null>(null);
  const [opened, setOpened] = useState<TSection[]>(['person', 'encounter']);
  const [clientErrors, setClientErrors] = useState<TFormErrors>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = useErrorMessages(clientErrors, serverErrors);

  if (detail.error instanceof ApiError && detail.error.status === 404)
    return (
      <Stack>
        <NotFoundPage />
        {canRequestEmergency && <EmergencyRequestCard caseId={id} />}
      </Stack>
    );
  if (detail.error) return <ErrorAlert error={detail.error} onReload={() => void detail.refetch()} />;
  if (!detail.data)
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  if ('basics' in detail.data) return <SharedCaseView c={detail.data} />;
  const c = detail.data;
  const latest = screenings.data?.items[0];

  const startEdit = () => {
    setEditing(formFromDetail(c));
    setClientErrors({});
    setServerErrors({});
    setSaveError(null);
  };

  const reload = async () => {
    const fresh = await detail.refetch();
    setSaveError(null);
    if (fresh.data && !('basics' in fresh.data)) setEditing(formFromDetail(fresh.data));
  };

  const save = async () => {
    if (!editing) return;
    setSaveError(null);
    setServerErrors({});
    const checked = validateCase(editing);
    if (!checked.ok) {
      setClientErrors(checked.errors);
      setOpened((o) => [...new Set([...o, ...Object.keys(checked.errors).map(sectionOf)])]);
      return;
    }
    setClientErrors({});
    setBusy(true);
    try {
      const updated = await endpoints.updateCase(id, { ...checked.value, version: c.version });
      queryClient.setQueryData(['case', id], updated);
      void queryClient.invalidateQueries({ queryKey: ['timeline', id] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      setEditing(null);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        const fields: Record<string, string> = {};
        for (const f of err.fields) fields[formPath(editing, f.path)] ??= f.message;
        setServerErrors(fields);
      }
      setSaveError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={960}>
      <div>
        <Text size="sm">
          <Link to="/cases">{t('cases.backToList')}</Link>
        </Text>
        <Group gap="xs" mt={4} align="center">
          <Title order={1} data-testid="case-number">
            {t('cases.caseNumber', { number: c.number })}
          </Title>
          <StageBadge stage={c.stage} />
          {c.isChild && <ChildBadge />}
          {c.latestOutcome && <OutcomeBadge outcome={c.latestOutcome} />}
        </Group>
        <Text size="sm" c="dimmed">
          {c.agency.name} · {t('cases.createdBy', { name: c.createdBy.displayName })} ·{' '}
          {formatDateTime(c.createdAt, i18n.language)}
        </Text>
      </div>
      {c.access.kind === 'emergency' && <EmergencyBanner expiresAt={c.access.expiresAt} />}
      {created && !editing && (
        <Alert color="teal" variant="light" data-testid="case-created">
          {t('cases.createdNotice', { number: created })}
        </Alert>
      )}
      {!editing && (
        <Group>
          {c.abilities.screen && canScreen && (
            <Button component={Link} to={`/cases/${c.id}/screen`} size="md">
              {t('cases.screen')}
            </Button>
          )}
          {c.abilities.update && (
            <Button variant="light" size="md" onClick={startEdit}>
              {t('common.edit')}
            </Button>
          )}
        </Group>
      )}

      {editing ? (
        <Stack>
          <CaseFormSections
            form={editing}
            onChange={(u) => setEditing((f) => (f ? u(f) : f))}
            errors={errors}
            opened={opened}
            onOpenedChange={setOpened}
          />
          <ErrorAlert error={saveError} onReload={() => void reload()} />
          <Group>
            <Button size="md" onClick={() => void save()} loading={busy}>
              {t('common.save')}
            </Button>
            <Button size="md" variant="default" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <PersonCard c={c} />
          <CaseCard c={c} />
        </SimpleGrid>
      )}

      <StatusPanel caseId={c.id} />

      {latest && <LatestScreening record={latest} />}

      {holder && !editing && (
        <CaseReferralPanels
          caseId={c.id}
          holderAgencyId={c.agency.id}
          region={c.case.encounterRegion}
          isChild={c.isChild}
          languages={c.person.languages}
        />
      )}

      {holder && !editing && <AssistancePanel caseId={c.id} />}

      {holder && (
        <Card withBorder padding="md">
          <Title order={2} size="h4" mb="sm">
            {t('cases.timeline')}
          </Title>
          <ErrorAlert error={timeline.error} />
          {timeline.data && (
            <Timeline bulletSize={14} lineWidth={2} data-testid="timeline">
              {timeline.data.items.map((e) => (
                <Timeline.Item key={e.id} title={t(`auditActions.${e.action}`, { defaultValue: e.action })}>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(e.at, i18n.language)} · {e.actorName ?? '—'}
                    {e.agencyName ? ` (${e.agencyName})` : ''}
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </Card>
      )}

      {screenings.data && screenings.data.items.length > 0 && (
        <Card withBorder padding="md">
          <Title order={2} size="h4" mb="sm">
            {t('cases.screeningHistory')}
          </Title>
          <Stack gap="xs">
            {screenings.data.items.map((s) => (
              <Group key={s.id} gap="xs" justify="space-between">
                <Group gap="xs">
                  <OutcomeBadge outcome={s.outcome} />
                  <Text size="sm">
                    {t('screening.judgement')}: {t(`enums.screeningRecommendation.${s.judgement}`)}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {formatDateTime(s.createdAt, i18n.language)} · {s.screenedBy} · {s.catalogueVersion}
                </Text>
              </Group>
            ))}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

function LatestScreening({ record }: { record: TScreeningRecord }) {
  const { t } = useTranslation();
  const canScreen = useCan('screening.perform');
  const catalogue = useQuery({
    queryKey: ['catalogue', record.catalogueVersion],
    queryFn: () => endpoints.catalogueVersion(record.catalogueVersion),
    enabled: canScreen,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <ScreeningResultCard
      title={t('cases.latestScreening')}
      result={record.result as TScreeningResult}
      catalogue={catalogue.data}
      reasons={record.reasons}
      screenedBy={record.screenedBy}
      at={record.createdAt}
    />
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={150} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
        {children}
      </Text>
    </Group>
  );
}

function useLists() {
  const { t, i18n } = useTranslation();
  const enumList = (name: string, values: readonly string[]) =>
    values.length ? values.map((v) => t(`enums.${name}.${v}`)).join(', ') : '—';
  const countries = (codes: readonly string[]) =>
    codes.length ? codes.map((x) => countryName(x, i18n.language)).join(', ') : '—';
  const one = (name: string, v: string | null | undefined) => (v ? t(`enums.${name}.${v}`) : '—');
  return { t, lang: i18n.language as TLocale, enumList, countries, one };
}

function PersonCard({ c }: { c: TCaseDetail }) {
  const { t, lang, enumList, countries, one } = useLists();
  const p = c.person;
  const b = p.birthDate;
  const birth =
    b.kind === 'exact'
      ? formatDate(b.date, lang)
      : b.kind === 'year'
        ? t('cases.birthYear', { year: b.year })
        : b.kind === 'range'
          ? t('cases.ageRange', { min: b.minAge, max: b.maxAge, asOf: formatDate(b.asOf, lang) })
          : t('intake.birthKind.unknown');
  return (
    <Card withBorder padding="md" data-testid="person-card">
      <Title order={2} size="h4" mb="sm">
        {t('intake.section.person')}
      </Title>
      <Stack gap={6}>
        <Row label={t('cases.names')}>
          {p.names.length
            ? p.names.map((n, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; inputs are controlled
                <div key={i}>
                  {[n.family, n.given, n.patronymic].filter(Boolean).join(' ')}{' '}
                  <Text span size="xs" c="dimmed">
                    ({t(`enums.nameKind.${n.kind}`)}, {t(`enums.nameScript.${n.script}`)})
                  </Text>
                </div>
              ))
            : t('cases.noName')}
        </Row>
        <Row label={t('intake.sex')}>{one('sex', p.sex)}</Row>
        <Row label={t('intake.birth')}>
          {birth}
          {p.ageUncertainPossiblyMinor && (
            <div>
              <Badge color="grape" variant="light" size="sm">
                {t('intake.possiblyMinor')}
              </Badge>
            </div>
          )}
        </Row>
        <Row label={t('cases.ageBand')}>{c.ageBand === 'unknown' ? '—' : c.ageBand}</Row>
        <Row label={t('intake.citizenships')}>
          {countries(p.citizenships)}
          {p.stateless ? ` · ${t('intake.stateless')}` : ''}
        </Row>
        <Row label={t('intake.languages')}>
          {p.languages.length ? p.languages.map((l) => languageName(l, lang)).join(', ') : '—'}
          {p.interpreterNeeded ? ` · ${t('intake.interpreterNeeded')}` : ''}
        </Row>
        <Row label={t('intake.documents')}>
          {p.documents.length
            ? p.documents.map((d, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; inputs are controlled
                <div key={i}>
                  {t(`enums.documentType.${d.type}`)} {d.number}
                  {d.issuingCountry ? ` · ${countryName(d.issuingCountry, lang)}` : ''}
                  {d.expiryDate ? ` · ${formatDate(d.expiryDate, lang)}` : ''}
                </div>
              ))
            : '—'}
        </Row>
        <Row label={t('intake.contacts')}>
          {p.contacts.length
            ? p.contacts.map((x, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; inputs are controlled
                <div key={i}>
                  {t(`enums.contactType.${x.type}`)}: {x.value}
                </div>
              ))
            : '—'}
        </Row>
        <Row label={t('intake.maritalStatus')}>{one('maritalStatus', p.maritalStatus)}</Row>
        <Row label={t('intake.numberOfChildren')}>{p.numberOfChildren ?? '—'}</Row>
        <Row label={t('intake.education')}>{one('education', p.education)}</Row>
        <Row label={t('intake.vulnerabilities')}>{enumList('vulnerability', p.vulnerabilities)}</Row>
      </Stack>
    </Card>
  );
}

function CaseCard({ c }: { c: TCaseDetail }) {
  const { t, lang, enumList, countries, one } = useLists();
  const k = c.case;
  return (
    <Card withBorder padding="md" data-testid="case-card">
      <Title order={2} size="h4" mb="sm">
        {t('cases.details')}
      </Title>
      <Stack gap={6}>
        <Row label={t('intake.encounterDate')}>{formatDate(k.encounterDate, lang)}</Row>
        <Row label={t('intake.encounterRegion')}>{t(`regions.${k.encounterRegion}`)}</Row>
        <Row label={t('intake.encounterPlace')}>{k.encounterPlace || '—'}</Row>
        <Row label={t('intake.identificationMethod')}>{one('identificationMethod', k.identificationMethod)}</Row>
        <Row label={t('intake.exploitationForms')}>{enumList('exploitationForm', k.exploitationForms)}</Row>
        <Row label={t('intake.labourIndustry')}>{one('labourIndustry', k.labourIndustry)}</Row>
        <Row label={t('intake.sexExploitationTypes')}>{enumList('sexExploitationType', k.sexExploitationTypes)}</Row>
        <Row label={t('intake.meansOfControl')}>{enumList('meansOfControl', k.meansOfControl)}</Row>
        <Row label={t('intake.recruitmentMethods')}>{enumList('recruitmentMethod', k.recruitmentMethods)}</Row>
        <Row label={t('intake.recruitmentApps')}>{enumList('recruitmentApp', k.recruitmentApps)}</Row>
        <Row label={t('intake.relationshipToRecruiter')}>
          {one('relationshipToRecruiter', k.relationshipToRecruiter)}
        </Row>
        <Row label={t('intake.countriesOfOrigin')}>{countries(k.countriesOfOrigin)}</Row>
        <Row label={t('intake.countriesOfTransit')}>{countries(k.countriesOfTransit)}</Row>
        <Row label={t('intake.countriesOfExploitation')}>{countries(k.countriesOfExploitation)}</Row>
        <Row label={t('cases.crossBorder')}>{c.crossBorder ? t('cases.crossBorderYes') : t('cases.crossBorderNo')}</Row>
        <Row label={t('cases.exploitationPeriod')}>
          {k.exploitationStart || k.exploitationEnd
            ? `${formatDate(k.exploitationStart, lang)} – ${formatDate(k.exploitationEnd, lang)}`
            : '—'}
          {c.exploitationDays !== null ? ` (${t('cases.days', { n: c.exploitationDays })})` : ''}
        </Row>
        <Row label={t('intake.narrative')}>{k.narrative || '—'}</Row>
      </Stack>
    </Card>
  );
}
