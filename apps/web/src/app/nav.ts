import type { TPermission } from '@opennrm/domain';

export interface NavItem {
  to: string;
  /** i18n key of the label */
  label: string;
  permission: TPermission;
  /** i18n key of a one-line description (home page cards) */
  description?: string;
  /** i18n key of the group heading, when the item belongs to one */
  group?: string;
  /** A live count shown next to the label */
  badge?: 'incomingReferrals';
}

/** The navigation; each item shows only when the user holds its permission. */
export const NAV_ITEMS: NavItem[] = [
  { to: '/', label: 'nav.home', permission: 'profile.self' },
  { to: '/cases', label: 'cases.nav', permission: 'cases.read', description: 'cases.home.area' },
  { to: '/duplicates', label: 'duplicates.nav', permission: 'duplicates.review', description: 'home.area.duplicates' },
  {
    to: '/referrals',
    label: 'referrals.nav',
    permission: 'cases.read',
    badge: 'incomingReferrals',
    description: 'home.area.referrals',
  },
  {
    to: '/emergency-access/review',
    label: 'emergency.nav',
    permission: 'emergency.review',
    description: 'home.area.emergencyReview',
  },
  {
    to: '/coordination/referrals',
    label: 'coordination.nav',
    permission: 'coordination.read',
    description: 'home.area.coordination',
  },
  { to: '/rules', label: 'rules.nav', permission: 'rules.read', description: 'home.area.rules' },
  {
    to: '/notifications',
    label: 'notificationCenter.nav',
    permission: 'profile.self',
    description: 'home.area.notifications',
  },
  {
    to: '/admin/agencies',
    label: 'nav.agencies',
    permission: 'agencies.manage',
    group: 'nav.admin',
    description: 'home.area.agencies',
  },
  {
    to: '/admin/users',
    label: 'nav.users',
    permission: 'users.manage',
    group: 'nav.admin',
    description: 'home.area.users',
  },
  {
    to: '/admin/security',
    label: 'nav.securitySettings',
    permission: 'settings.manage',
    group: 'nav.admin',
    description: 'home.area.securitySettings',
  },
  {
    to: '/admin/catalogue',
    label: 'nav.catalogue',
    permission: 'catalogue.manage',
    group: 'nav.admin',
    description: 'home.area.catalogue',
  },
  { to: '/audit', label: 'nav.audit', permission: 'audit.read', description: 'home.area.audit' },
  { to: '/protection', label: 'nav.protection', permission: 'protection.read', description: 'home.area.protection' },
  {
    to: '/coordination/compliance',
    label: 'nav.compliance',
    permission: 'coordination.read',
    description: 'home.area.compliance',
  },
  { to: '/statistics', label: 'statistics.nav', permission: 'stats.read', description: 'home.area.statistics' },
  { to: '/exchange/import', label: 'exchange.nav', permission: 'exchange.import', description: 'exchange.homeArea' },
  {
    to: '/exchange/export',
    label: 'exchange.exportNav',
    permission: 'exchange.export',
    description: 'exchange.exportHomeArea',
  },
  { to: '/account', label: 'nav.account', permission: 'profile.self', description: 'home.area.account' },
];
