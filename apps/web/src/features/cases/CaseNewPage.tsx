import { Alert, Box, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { useUser } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { checkablePerson, DuplicatesPanel } from '../duplicates/DuplicatesPanel.tsx';
import {
  emptyCaseForm,
  formFromDraft,
  formPath,
  isBlank,
  type TCaseForm,
  type TFormErrors,
  toCaseInput,
  validateCase,
} from './caseForm.ts';
import { CaseFormSections, sectionOf, type TSection, useErrorMessages } from './CaseFormSections.tsx';

const AUTOSAVE_MS = 2000;

/**
 * The form as last typed, kept in memory only (never in browser storage) so that a session that
 * ends mid-form — the autosave is often the call that finds out — loses nothing on the way through
 * sign-in and back: the page restores it for the same user and saves it again.
 */
let memory: { userId: string; form: TCaseForm } | null = null;

/** Forgets the in-memory intake form (at sign-out). */
export function forgetIntakeMemory(): void {
  memory = null;
}

type SaveState = { kind: 'idle' } | { kind: 'pending' } | { kind: 'saved'; at: string } | { kind: 'failed' };
type Restored = { kind: 'draft'; at: string } | { kind: 'memory' } | null;

/** Intake: record a potential victim in minutes, from a phone; autosaved as an encrypted server draft. */
export function CaseNewPage() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const draft = useQuery({
    queryKey: ['intakeDraft'],
    queryFn: async () => {
      try {
        return await endpoints.intakeDraft<unknown>();
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    gcTime: 0,
  });

  const [form, setForm] = useState<TCaseForm | null>(null);
  const [restored, setRestored] = useState<Restored>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [clientErrors, setClientErrors] = useState<TFormErrors>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<TSection[]>(['person', 'encounter']);

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef<TCaseForm | null>(null);
  const inflight = useRef<Promise<unknown>>(Promise.resolve());
  const done = useRef(false);
  const hasDraft = useRef(false);

  // Start from the in-memory form (same user), else the server draft, else an empty form.
  useEffect(() => {
    if (form || draft.isPending) return;
    if (memory && memory.userId === user.id) {
      setForm(memory.form);
      setRestored({ kind: 'memory' });
    } else if (draft.data) {
      hasDraft.current = true;
      setForm(formFromDraft(draft.data.data));
      setRestored({ kind: 'draft', at: draft.data.updatedAt });
    } else {
      setForm(emptyCaseForm());
    }
  }, [draft.isPending, draft.data, form, user.id]);

  const saveNow = useCallback((keepalive = false) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const data = latest.current;
    if (!data || done.current) return;
    setSave({ kind: 'pending' });
    const p = inflight.current
      .catch(() => undefined)
      .then(() => (done.current ? null : endpoints.saveIntakeDraft(data, { keepalive })))
      .then(
        (r) => {
          if (!r) return;
          // The server holds it now: the in-memory copy is only for changes not yet saved.
          if (memory?.form === data) memory = null;
          hasDraft.current = true;
          setSave({ kind: 'saved', at: r.updatedAt });
        },
        () => setSave({ kind: 'failed' }),
      );
    inflight.current = p;
  }, []);

  // Autosave ~2 s after the last change; the form is also kept in memory at once.
  useEffect(() => {
    if (!form || done.current) return;
    latest.current = form;
    if (isBlank(form) && !hasDraft.current) return;
    memory = { userId: user.id, form };
    setSave({ kind: 'pending' });
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => saveNow(), AUTOSAVE_MS);
  }, [form, saveNow, user.id]);

  // A last save when leaving the page (including the redirect to sign-in) or closing the tab.
  useEffect(() => {
    const flush = () => {
      if (timer.current) saveNow(true);
    };
    const onHide = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onHide);
      flush();
    };
  }, [saveNow]);

  if (draft.isError && !form) return <ErrorAlert error={draft.error} onReload={() => void draft.refetch()} />;
  if (!form)
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );

  const onChange = (update: (f: TCaseForm) => TCaseForm) => setForm((f) => (f ? update(f) : f));

  const discard = async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    await inflight.current.catch(() => undefined);
    await endpoints.deleteIntakeDraft().catch(() => undefined);
    hasDraft.current = false;
    memory = null;
    latest.current = null;
    setRestored(null);
    setSave({ kind: 'idle' });
    setClientErrors({});
    setServerErrors({});
    setForm(emptyCaseForm());
  };

  const submit = async () => {
    setSubmitError(null);
    setServerErrors({});
    const checked = validateCase(form);
    if (!checked.ok) {
      setClientErrors(checked.errors);
      setOpened((o) => [...new Set([...o, ...Object.keys(checked.errors).map(sectionOf)])]);
      return;
    }
    setClientErrors({});
    setBusy(true);
    try {
      const created = await endpoints.createCase(checked.value);
      done.current = true;
      if (timer.current) clearTimeout(timer.current);
      await inflight.current.catch(() => undefined);
      await endpoints.deleteIntakeDraft().catch(() => undefined);
      memory = null;
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      await navigate(`/cases/${created.id}`, { state: { created: created.number } });
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        const fields: Record<string, string> = {};
        for (const f of err.fields) fields[formPath(form, f.path)] ??= f.message;
        setServerErrors(fields);
        setOpened((o) => [...new Set([...o, ...Object.keys(fields).map(sectionOf)])]);
      }
      setSubmitError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={820} pb={96}>
      <div>
        <Title order={1}>{t('intake.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('intake.intro')}
        </Text>
      </div>
      {restored && (
        <Alert color="blue" variant="light" data-testid="draft-restored">
          <Group justify="space-between" gap="xs">
            <Text size="sm">
              {restored.kind === 'draft'
                ? t('intake.draftRestored', { at: formatDateTime(restored.at, i18n.language) })
                : t('intake.memoryRestored')}
            </Text>
            <Button size="compact-sm" variant="white" color="red" onClick={() => void discard()}>
              {t('intake.discardDraft')}
            </Button>
          </Group>
        </Alert>
      )}
      <FormContent
        form={form}
        onChange={onChange}
        clientErrors={clientErrors}
        serverErrors={serverErrors}
        opened={opened}
        setOpened={setOpened}
      />
      <DuplicatesPanel person={checkablePerson(toCaseInput(form))} />
      <ErrorAlert error={submitError} />
      <Box
        pos="sticky"
        bottom={0}
        py="sm"
        bg="var(--mantine-color-body)"
        style={{ borderTop: '1px solid var(--mantine-color-gray-3)', zIndex: 5 }}
      >
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Text size="xs" c={save.kind === 'failed' ? 'red' : 'dimmed'} data-testid="draft-status" aria-live="polite">
            {save.kind === 'pending' && t('intake.draftSaving')}
            {save.kind === 'saved' && t('intake.draftSaved', { at: formatDateTime(save.at, i18n.language) })}
            {save.kind === 'failed' && t('intake.draftFailed')}
          </Text>
          <Button size="lg" onClick={() => void submit()} loading={busy}>
            {t('intake.submit')}
          </Button>
        </Group>
      </Box>
    </Stack>
  );
}

function FormContent(props: {
  form: TCaseForm;
  onChange: (update: (f: TCaseForm) => TCaseForm) => void;
  clientErrors: TFormErrors;
  serverErrors: Record<string, string>;
  opened: TSection[];
  setOpened: (s: TSection[]) => void;
}) {
  const errors = useErrorMessages(props.clientErrors, props.serverErrors);
  return (
    <CaseFormSections
      form={props.form}
      onChange={props.onChange}
      errors={errors}
      opened={props.opened}
      onOpenedChange={props.setOpened}
    />
  );
}
