import { Button, Checkbox, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import type { TAssistance, TGoal } from '@opennrm/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

const savePlan = (caseId: string, goals: TGoal[], version: number) =>
  api<TAssistance>('PUT', `/api/cases/${caseId}/assistance-plan`, { body: { goals, version } });

/** The goals of the individual assistance plan (encrypted on the server). */
export function GoalsSection({ a, onDone }: { a: TAssistance; onDone: (a: TAssistance) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const save = useMutation({
    mutationFn: (goals: TGoal[]) => savePlan(a.caseId, goals, a.plan.version),
    onSuccess: (x) => {
      onDone(x);
      setText('');
    },
  });
  const goals = a.plan.goals;
  const nextId = () => `g${goals.reduce((n, g) => Math.max(n, Number(g.id.replace(/\D/g, '')) || 0), 0) + 1}`;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('assistance.goals.title')}
      </Title>
      {goals.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('assistance.goals.none')}
        </Text>
      )}
      {goals.map((g) => (
        <Checkbox
          key={g.id}
          label={g.text}
          checked={g.achieved}
          disabled={!a.abilities.manage}
          onChange={(e) =>
            save.mutate(goals.map((x) => (x.id === g.id ? { ...x, achieved: e.currentTarget.checked } : x)))
          }
        />
      ))}
      {a.abilities.manage && (
        <Group align="flex-end" gap="xs">
          <TextInput
            size="xs"
            style={{ flex: 1 }}
            label={t('assistance.goals.new')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <Button
            size="xs"
            variant="light"
            disabled={!text.trim()}
            onClick={() => save.mutate([...goals, { id: nextId(), text: text.trim(), area: null, achieved: false }])}
          >
            {t('assistance.goals.add')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={save.error} />
    </Stack>
  );
}
