import { LOCALES, type TLocale, ZLocale } from '@opennrm/domain';
import { Button, Menu } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { endpoints } from '../api/endpoints.ts';
import { SESSION_KEY, useSession } from '../app/session.ts';
import { applyLocale } from '../i18n/i18n.ts';

// Language names are shown in their own language (endonyms), whatever the interface language,
// so a user who cannot read the current one still finds theirs: deliberately not translated.
const ENDONYMS: Record<TLocale, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };
const SHORT: Record<TLocale, string> = { kk: 'ҚАЗ', ru: 'РУС', en: 'ENG' };

/** Switches kk/ru/en; remembered for the signed-in user on the server, and on this device. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const queryClient = useQueryClient();
  const current = ZLocale.catch('en').parse(i18n.language);

  const choose = async (locale: TLocale) => {
    await applyLocale(locale);
    if (session?.user) {
      await endpoints.setLocale(locale).catch(() => undefined);
      queryClient.setQueryData(SESSION_KEY, { ...session, user: { ...session.user, locale } });
    }
  };

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          size="compact-md"
          data-testid="language-switcher"
          aria-label={`${t('common.language')}: ${ENDONYMS[current]}`}
        >
          {SHORT[current]}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('common.language')}</Menu.Label>
        {LOCALES.map((l) => (
          <Menu.Item key={l} lang={l} onClick={() => void choose(l)} fw={l === current ? 700 : undefined}>
            {ENDONYMS[l]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
