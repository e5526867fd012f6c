import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The page for an unknown address, and for one the user may not open. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start" maw={560} data-testid="not-found">
      <Title order={1}>{t('notFound.title')}</Title>
      <Text>{t('notFound.text')}</Text>
      <Button component={Link} to="/" variant="light">
        {t('notFound.home')}
      </Button>
    </Stack>
  );
}
