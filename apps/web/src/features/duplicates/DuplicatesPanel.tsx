import {
  type TDuplicateCheckPerson,
  type TDuplicateCheckResult,
  type TElsewhereCandidate,
  ZDuplicateCheckPerson,
} from '@opennrm/domain';
import { Alert, Anchor, Badge, Button, Collapse, Group, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { duplicatesApi } from './duplicatesApi.ts';
import { ScoreExplanation } from './ScoreExplanation.tsx';

const DEBOUNCE_MS = 800;

/**
 * The person fields worth checking, or null while there is too little to compare (no family and
 * given name, document or phone yet). A birth date still being typed counts as unknown.
 */
export function checkablePerson(input: unknown): TDuplicateCheckPerson | null {
  const p = (input as { person?: Record<string, unknown> } | null)?.person ?? {};
  const parsed = ZDuplicateCheckPerson.safeParse({
    names: p.names,
    sex: p.sex,
    birthDate: p.birthDate,
    citizenships: p.citizenships,
    documents: (p.documents as { type?: string; number?: string }[] | undefined)?.filter(
      (d) => d.type && d.number?.trim(),
    ),
    contacts: (p.contacts as { type?: string; value?: string }[] | undefined)?.filter((c) => c.type && c.value?.trim()),
  });
  const fallback = parsed.success
    ? parsed.data
    : ZDuplicateCheckPerson.safeParse({ names: p.names, birthDate: { kind: 'unknown' } }).data;
  if (!fallback) return null;
  const named = fallback.names.some((n) => n.family && n.given);
  return named || fallback.documents.length || fallback.contacts.length ? fallback : null;
}

/**
 * Likely and possible duplicates of the person being registered, checked as the form is filled in
 * (debounced). Records the user may see come with a link and the reasons of the score; others only
 * as "a possible match exists at agency X", with a button asking that agency to refer the case.
 * Registering anyway is always possible.
 */
export function DuplicatesPanel({ person }: { person: TDuplicateCheckPerson | null }) {
  const { t } = useTranslation();
  const [result, setResult] = useState<TDuplicateCheckResult | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = person ? JSON.stringify(person) : '';
  const latest = useRef('');

  useEffect(() => {
    latest.current = key;
    if (!key) {
      setResult(null);
      return;
    }
    const timer = setTimeout(() => {
      setPending(true);
      duplicatesApi
        .check(JSON.parse(key) as TDuplicateCheckPerson)
        .then(
          (r) => {
            if (latest.current === key) {
              setResult(r);
              setError(null);
            }
          },
          (err) => latest.current === key && setError(err),
        )
        .finally(() => latest.current === key && setPending(false));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);

  const any = result && (result.visible.length > 0 || result.elsewhere.length > 0);
  if (!any && !pending && !error) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      title={t('duplicates.panelTitle')}
      data-testid="duplicates-panel"
      aria-live="polite"
    >
      <Stack gap="sm">
        {pending && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">{t('duplicates.checking')}</Text>
          </Group>
        )}
        <ErrorAlert error={error} />
        {result?.visible.map((v) => (
          <VisibleCandidate key={v.caseId} candidate={v} />
        ))}
        {result?.elsewhere.map((e) => (
          <ElsewhereCandidate key={e.agencyId} candidate={e} />
        ))}
        {any && (
          <Text size="xs" c="dimmed">
            {t('duplicates.panelHint')}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

function VisibleCandidate({ candidate: v }: { candidate: TDuplicateCheckResult['visible'][number] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Stack gap={4} data-testid="duplicate-visible">
      <Group gap="xs" wrap="wrap">
        <Badge color={v.band === 'likely' ? 'red' : 'orange'}>{t(`duplicates.band.${v.band}`)}</Badge>
        <Anchor component={Link} to={`/cases/${v.caseId}`} target="_blank">
          {t('duplicates.openCase', { number: v.number })}
        </Anchor>
        <Text size="sm" fw={500}>
          {v.displayName}
        </Text>
        <Text size="xs" c="dimmed">
          {v.agencyName} · {t('duplicates.score', { score: v.score.toFixed(2) })}
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={() => setOpen((o) => !o)}>
          {t('duplicates.why')}
        </Button>
      </Group>
      <Collapse expanded={open}>
        <ScoreExplanation fields={v.fields} />
      </Collapse>
    </Stack>
  );
}

function ElsewhereCandidate({ candidate: e }: { candidate: TElsewhereCandidate }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'pending' | 'sent'>('idle');
  const [error, setError] = useState<unknown>(null);
  const ask = async () => {
    setState('pending');
    setError(null);
    try {
      await duplicatesApi.inquire(e.inquiryToken);
      setState('sent');
    } catch (err) {
      setError(err);
      setState('idle');
    }
  };
  return (
    <Stack gap={4} data-testid="duplicate-elsewhere">
      <Group gap="xs" wrap="wrap">
        <Badge color={e.band === 'likely' ? 'red' : 'orange'}>{t(`duplicates.band.${e.band}`)}</Badge>
        <Text size="sm">
          {e.band === 'likely'
            ? t('duplicates.elsewhereLikely', { agency: e.agencyName })
            : t('duplicates.elsewhere', { agency: e.agencyName })}
        </Text>
      </Group>
      {state !== 'sent' && (
        <Button
          size="sm"
          variant="light"
          h="auto"
          py={6}
          styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
          loading={state === 'pending'}
          onClick={() => void ask()}
        >
          {t('duplicates.ask', { agency: e.agencyName })}
        </Button>
      )}
      {state === 'sent' && (
        <Text size="sm" c="teal" role="status">
          {t('duplicates.asked', { agency: e.agencyName })}
        </Text>
      )}
      <ErrorAlert error={error} />
    </Stack>
  );
}
