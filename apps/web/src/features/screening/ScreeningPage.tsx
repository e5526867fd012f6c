import {
  Accordion,
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Checkbox,
  Collapse,
  Group,
  Loader,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import {
  indicatorsForProfile,
  isChildForRules,
  PROFILE_META,
  profileAvailable,
  SCREENING_RECOMMENDATIONS,
  type TIndicator,
  type TLocale,
  type TScreeningJudgement,
  type TScreeningProfile,
  type TTraffickingAct,
} from '@opennrm/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { endpoints, type TScreeningRecord } from '../../api/endpoints.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { today } from '../cases/caseForm.ts';
import { ChildBadge } from '../cases/CaseListPage.tsx';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';
import { ScreeningResultCard } from './ScreeningResultCard.tsx';

/**
 * Indicator screening of one case (NRM.md section 5): profile, acts, indicators by dimension with
 * their help, the screener's own judgement — then the explained result, as decision support.
 */
export function ScreeningPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as TLocale;
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['case', id], queryFn: () => endpoints.caseDetail(id) });
  const catalogue = useQuery({ queryKey: ['catalogue'], queryFn: endpoints.catalogue, staleTime: 0 });

  const [chosen, setChosen] = useState<TScreeningProfile | null>(null);
  const [acts, setActs] = useState<string[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [judgement, setJudgement] = useState<TScreeningJudgement | null>(null);
  const [reasons, setReasons] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const [record, setRecord] = useState<TScreeningRecord | null>(null);

  if (detail.error instanceof ApiError && detail.error.status === 404) return <NotFoundPage />;
  if (detail.error || catalogue.error)
    return (
      <ErrorAlert
        error={detail.error ?? catalogue.error}
        onReload={() => void Promise.all([detail.refetch(), catalogue.refetch()])}
      />
    );
  if (!detail.data || !catalogue.data)
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );

  const c = detail.data;
  const cat = catalogue.data;
  // CETS 197 art. 10(3): a person who is or may be a minor is screened with a child list.
  const child = c.isChild || isChildForRules(c.person, today());
  const profile: TScreeningProfile =
    chosen && (!child || PROFILE_META[chosen].ageGroup === 'child') ? chosen : child ? 'child_labour' : 'adult_labour';
  const available = profileAvailable(cat, profile);
  const groups = indicatorsForProfile(cat, profile);
  const inProfile = new Set(groups.flatMap((g) => g.indicators.map((i) => i.id)));

  const toggle = (indicatorId: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(indicatorId);
      else next.delete(indicatorId);
      return next;
    });

  const submit = async () => {
    setError(null);
    if (!judgement) {
      setMissing(true);
      return;
    }
    setBusy(true);
    try {
      const saved = await endpoints.screenCase(id, {
        profile,
        catalogueVersion: cat.version,
        acts: acts as TTraffickingAct[],
        indicatorIds: [...selected].filter((x) => inProfile.has(x)),
        judgement,
        reasons,
      });
      setRecord(saved);
      for (const key of [['case', id], ['screenings', id], ['timeline', id], ['cases']])
        void queryClient.invalidateQueries({ queryKey: key });
      window.scrollTo({ top: 0 });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const header = (
    <div>
      <Text size="sm">
        <Link to={`/cases/${c.id}`}>{t('screening.backToCase', { number: c.number })}</Link>
      </Text>
      <Group gap="xs" mt={4}>
        <Title order={1}>{t('screening.title')}</Title>
        {child && <ChildBadge />}
      </Group>
    </div>
  );

  if (record)
    return (
      <Stack maw={820}>
        {header}
        <ScreeningResultCard
          result={record.result}
          catalogue={cat}
          reasons={record.reasons}
          screenedBy={record.screenedBy}
          at={record.createdAt}
        />
        <Group>
          <Button component={Link} to={`/cases/${c.id}`} size="md">
            {t('screening.toCase')}
          </Button>
        </Group>
      </Stack>
    );

  if (!c.abilities.screen)
    return (
      <Stack maw={820}>
        {header}
        <Alert color="yellow">{t('screening.notAllowed')}</Alert>
      </Stack>
    );

  return (
    <Stack maw={820} pb="xl">
      {header}
      <Text c="dimmed" size="sm">
        {t('screening.intro')}
      </Text>

      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="xs">
          {t('screening.profile')}
        </Title>
        {child && (
          <Alert color="grape" variant="light" mb="sm" data-testid="child-forced">
            {t('screening.childForced')}
          </Alert>
        )}
        <Radio.Group value={profile} onChange={(v) => setChosen(v as TScreeningProfile)}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            {cat.profiles.map((p) => {
              const disabled = child && PROFILE_META[p.id].ageGroup === 'adult';
              return (
                <Radio.Card key={p.id} value={p.id} disabled={disabled} p="sm" radius="md" opacity={disabled ? 0.5 : 1}>
                  <Group wrap="nowrap" align="flex-start">
                    <Radio.Indicator disabled={disabled} />
                    <div>
                      <Text fw={500}>{p.label[lang]}</Text>
                      {!profileAvailable(cat, p.id) && (
                        <Text size="xs" c="dimmed">
                          {t('screening.noListYet')}
                        </Text>
                      )}
                    </div>
                  </Group>
                </Radio.Card>
              );
            })}
          </SimpleGrid>
        </Radio.Group>
      </Card>

      {!available ? (
        <Alert color="yellow" data-testid="no-list">
          {t('screening.noListYetLong')}
        </Alert>
      ) : (
        <>
          <Card withBorder padding="md">
            <Title order={2} size="h4">
              {t('screening.acts')}
            </Title>
            <Text size="sm" c="dimmed" mb="xs">
              {PROFILE_META[profile].ageGroup === 'child' ? t('screening.actsHelpChild') : t('screening.actsHelp')}
            </Text>
            <Checkbox.Group value={acts} onChange={setActs}>
              <Stack gap="sm">
                {cat.acts.map((a) => (
                  <Checkbox key={a.id} size="md" value={a.id} label={a.label[lang]} />
                ))}
              </Stack>
            </Checkbox.Group>
          </Card>

          <div>
            <Title order={2} size="h4" mb="xs">
              {t('screening.indicators')}
            </Title>
            <Accordion multiple variant="separated">
              {groups.map((g) => {
                const dim = cat.dimensions.find((d) => d.id === g.dimensionId);
                const count = g.indicators.filter((i) => selected.has(i.id)).length;
                if (!dim || g.indicators.length === 0) return null;
                return (
                  <Accordion.Item key={g.dimensionId} value={g.dimensionId}>
                    <Accordion.Control>
                      <Group gap="xs" wrap="nowrap">
                        <Text fw={600}>{dim.label[lang]}</Text>
                        {count > 0 && (
                          <Badge size="sm" variant="filled">
                            {count}
                          </Badge>
                        )}
                      </Group>
                    </Accordion.Control>
                    <Accordion.Panel>
                      <Stack gap="sm">
                        {g.indicators.map((ind) => (
                          <IndicatorRow
                            key={ind.id}
                            indicator={ind}
                            strength={ind.profileStrength}
                            checked={selected.has(ind.id)}
                            onChange={(on) => toggle(ind.id, on)}
                          />
                        ))}
                      </Stack>
                    </Accordion.Panel>
                  </Accordion.Item>
                );
              })}
            </Accordion>
          </div>

          <Card withBorder padding="md">
            <Title order={2} size="h4" mb="xs">
              {t('screening.yourJudgement')}
            </Title>
            <Text size="sm" c="dimmed" mb="xs">
              {t('screening.judgementHelp')}
            </Text>
            <Radio.Group
              value={judgement}
              onChange={(v) => {
                setJudgement(v as TScreeningJudgement);
                setMissing(false);
              }}
              error={missing ? t('validation.required') : undefined}
            >
              <Stack gap="sm">
                {SCREENING_RECOMMENDATIONS.map((r) => (
                  <Radio key={r} size="md" value={r} label={t(`enums.screeningRecommendation.${r}`)} />
                ))}
              </Stack>
            </Radio.Group>
            <Textarea
              mt="md"
              size="md"
              label={t('screening.reasons')}
              description={t('screening.reasonsHelp')}
              autosize
              minRows={3}
              maxLength={4000}
              value={reasons}
              onChange={(e) => setReasons(e.currentTarget.value)}
            />
          </Card>
          <ErrorAlert error={error} />
          {error instanceof ApiError && error.code === 'conflict.catalogue_changed' && (
            <Button variant="light" onClick={() => void catalogue.refetch().then(() => setError(null))}>
              {t('common.reload')}
            </Button>
          )}
          <Group>
            <Button size="lg" onClick={() => void submit()} loading={busy}>
              {t('screening.submit')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}

function IndicatorRow({
  indicator,
  strength,
  checked,
  onChange,
}: {
  indicator: TIndicator;
  strength: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as TLocale;
  const [help, setHelp] = useState(false);
  return (
    <div>
      <Group wrap="nowrap" align="flex-start" justify="space-between" gap="xs">
        <Checkbox
          size="md"
          checked={checked}
          onChange={(e) => onChange(e.currentTarget.checked)}
          data-indicator={indicator.id}
          label={
            <span>
              {indicator.text[lang]}{' '}
              <Badge
                size="xs"
                variant="light"
                color={strength === 'strong' ? 'red' : strength === 'medium' ? 'orange' : 'gray'}
              >
                {t(`enums.indicatorStrength.${strength}`)}
              </Badge>
            </span>
          }
        />
        <ActionIcon
          variant="light"
          radius="xl"
          size="lg"
          aria-label={t('screening.help', { id: indicator.id })}
          aria-expanded={help}
          onClick={() => setHelp((h) => !h)}
        >
          ?
        </ActionIcon>
      </Group>
      <Collapse expanded={help}>
        <Text size="sm" c="dimmed" ml={36} mt={4}>
          {indicator.help[lang]}
        </Text>
      </Collapse>
    </div>
  );
}
