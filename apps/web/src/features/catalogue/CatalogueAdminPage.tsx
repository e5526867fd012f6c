import { type TCatalogue, type TIndicator, ZCatalogue } from '@opennrm/domain';
import {
  Accordion,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  List,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { endpoints } from '../../api/endpoints.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { IndicatorEditor } from './IndicatorEditor.tsx';

const blankIndicator = (id: string): TIndicator => ({
  id,
  text: { kk: '', ru: '', en: '' },
  help: { kk: '', ru: '', en: '' },
  strength: {},
});

/**
 * The indicator catalogue (system administrators): published versions, and an editor that starts
 * from the current version to publish the next one — texts, help and strengths per profile
 * (including the sexual-exploitation lists), new indicators, and the rules as data. Results keep
 * the version they were computed with.
 */
export function CatalogueAdminPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const versions = useQuery({ queryKey: ['catalogues'], queryFn: endpoints.catalogueVersions });
  const current = useQuery({ queryKey: ['catalogue'], queryFn: endpoints.catalogue });
  const [draft, setDraft] = useState<TCatalogue | null>(null);
  const [rules, setRules] = useState('');
  const [added, setAdded] = useState<Set<string>>(new Set());
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const startFrom = (c: TCatalogue) => {
    setDraft({ ...structuredClone(c), version: `${c.version}-next` });
    setRules(JSON.stringify({ dimensionRule: c.dimensionRule, victimRule: c.victimRule }, null, 2));
    setAdded(new Set());
    setIssues([]);
  };
  useEffect(() => {
    if (current.data && !draft) startFrom(current.data);
  });

  const errorsFor = (di: number, ii: number) => {
    const prefix = `dimensions.${di}.indicators.${ii}.`;
    return Object.fromEntries(
      issues.filter((x) => x.path.startsWith(prefix)).map((x) => [x.path.slice(prefix.length), x.message]),
    );
  };

  const publish = async () => {
    if (!draft) return;
    setError(null);
    let parsedRules: Pick<TCatalogue, 'dimensionRule' | 'victimRule'>;
    try {
      parsedRules = JSON.parse(rules);
    } catch {
      setIssues([{ path: 'rules', message: t('catalogueAdmin.rulesNotJson') }]);
      return;
    }
    const candidate = ZCatalogue.safeParse({ ...draft, ...parsedRules });
    if (!candidate.success) {
      setIssues(candidate.error.issues.map((x) => ({ path: x.path.join('.'), message: x.message })));
      return;
    }
    setIssues([]);
    setBusy(true);
    try {
      await endpoints.publishCatalogue(candidate.data);
      notifications.show({
        color: 'teal',
        message: t('catalogueAdmin.published', { version: candidate.data.version }),
      });
      await queryClient.invalidateQueries({ queryKey: ['catalogues'] });
      await queryClient.invalidateQueries({ queryKey: ['catalogue'] });
      setDraft(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const updateIndicator = (di: number, ii: number, next: TIndicator) =>
    setDraft((d) => {
      if (!d) return d;
      const copy = structuredClone(d);
      copy.dimensions[di]!.indicators[ii] = next;
      return copy;
    });

  const addIndicator = (di: number) =>
    setDraft((d) => {
      if (!d) return d;
      const copy = structuredClone(d);
      const id = `NEW${String(added.size + 1).padStart(2, '0')}`;
      copy.dimensions[di]!.indicators.push(blankIndicator(id));
      setAdded(new Set([...added, id]));
      return copy;
    });

  const locale = i18n.language as 'en';
  return (
    <Stack>
      <Title order={1}>{t('catalogueAdmin.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('catalogueAdmin.hint')}
      </Text>
      <ErrorAlert error={versions.error ?? current.error} />
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('catalogueAdmin.versions')}
        </Title>
        <List>
          {versions.data?.items.map((v) => (
            <List.Item key={v.version}>
              <Group gap="xs">
                <Text ff="monospace">{v.version}</Text>
                {v.isCurrent && <Badge color="teal">{t('catalogueAdmin.current')}</Badge>}
                <Text size="sm" c="dimmed">
                  {formatDateTime(v.publishedAt, i18n.language)}
                </Text>
              </Group>
            </List.Item>
          ))}
        </List>
      </Card>
      {draft && (
        <Card withBorder>
          <Stack>
            <Title order={2} size="h4">
              {t('catalogueAdmin.nextVersion')}
            </Title>
            <TextInput
              label={t('catalogueAdmin.version')}
              value={draft.version}
              onChange={(e) => setDraft({ ...draft, version: e.currentTarget.value })}
            />
            <Textarea
              autosize
              label={t('catalogueAdmin.provenance')}
              value={draft.provenance}
              onChange={(e) => setDraft({ ...draft, provenance: e.currentTarget.value })}
            />
            <Accordion multiple variant="separated">
              {draft.dimensions.map((d, di) => (
                <Accordion.Item key={d.id} value={d.id}>
                  <Accordion.Control>
                    {d.label[locale] ?? d.id} ({d.indicators.length})
                  </Accordion.Control>
                  <Accordion.Panel>
                    <Stack gap="xs">
                      {d.indicators.map((ind, ii) => (
                        <IndicatorEditor
                          // biome-ignore lint/suspicious/noArrayIndexKey: a new indicator's id changes while it is typed; its position does not
                          key={`${d.id}-${ii}`}
                          indicator={ind}
                          isNew={added.has(ind.id) || !current.data?.dimensions[di]?.indicators[ii]}
                          errors={errorsFor(di, ii)}
                          onChange={(next) => updateIndicator(di, ii, next)}
                        />
                      ))}
                      <Button variant="light" w="fit-content" onClick={() => addIndicator(di)}>
                        {t('catalogueAdmin.addIndicator')}
                      </Button>
                    </Stack>
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
            </Accordion>
            <Textarea
              autosize
              minRows={6}
              ff="monospace"
              label={t('catalogueAdmin.rules')}
              description={t('catalogueAdmin.rulesHint')}
              value={rules}
              onChange={(e) => setRules(e.currentTarget.value)}
            />
            {issues.length > 0 && (
              <Alert color="red" role="alert" title={t('errors.validation')}>
                <List size="sm">
                  {issues.slice(0, 20).map((x) => (
                    <List.Item key={`${x.path}:${x.message}`}>
                      <Text span ff="monospace">
                        {x.path || '—'}
                      </Text>
                      : {x.message}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )}
            <ErrorAlert error={error} />
            <Group>
              <Button loading={busy} onClick={() => void publish()}>
                {t('catalogueAdmin.publish')}
              </Button>
              <Button variant="default" onClick={() => current.data && startFrom(current.data)}>
                {t('catalogueAdmin.reset')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
