import { Button, Paper } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A list of form rows (documents, contacts…): each row in a bordered box with a "remove" button,
 * and an "add" button while fewer than `max` rows exist.
 */
export function RepeatableRows<T>({
  items,
  max,
  addLabel,
  onAdd,
  onRemove,
  children,
}: {
  items: readonly T[];
  max: number;
  addLabel: string;
  onAdd: () => void;
  onRemove: (index: number) => void;
  children: (item: T, index: number) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      {items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; inputs are controlled
        <Paper key={i} withBorder p="sm" radius="md">
          {children(item, i)}
          <Button mt="xs" variant="subtle" color="red" size="compact-sm" onClick={() => onRemove(i)}>
            {t('intake.remove')}
          </Button>
        </Paper>
      ))}
      {items.length < max && (
        <Button variant="light" size="md" onClick={onAdd}>
          {addLabel}
        </Button>
      )}
    </>
  );
}
