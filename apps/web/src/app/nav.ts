import type { TPermission } from '@opennrm/domain';

export interface NavItem {
  to: string;
  /** i18n key of the label */
  label: string;
  permission: TPermission;
  /** i18n key of the group heading, when the item belongs to one */
  group?: string;
  /** A live count shown next to the label */
  badge?: 'incomingReferrals';
}

/** The navigation; each item shows only when the user holds its permission. */
export const NAV_ITEMS: NavItem[] = [
  { to: '/', label: 'nav.home', permission: 'profile.self' },
  { to: '/cases', label: 'cases.nav', permission: 'cases.read' },
  { to: '/duplicates', label: 'duplicates.nav', permission: 'duplicates.review' },
  { to: '/referrals', label: 'referrals.nav', permission: 'cases.read', badge: 'incomingReferrals' },
  { to: '/emergency-access/review', label: 'emergency.nav', permission: 'emergency.review' },
  { to: '/coordination/referrals', label: 'coordination.nav', permission: 'coordination.read' },
  { to: '/rules', label: 'rules.nav', permission: 'rules.read' },
  { to: '/notifications', label: 'notificationCenter.nav', permission: 'profile.self' },
  { to: '/admin/agencies', label: 'nav.agencies', permission: 'agencies.manage', group: 'nav.admin' },
  { to: '/admin/users', label: 'nav.users', permission: 'users.manage', group: 'nav.admin' },
  { to: '/admin/security', label: 'nav.securitySettings', permission: 'settings.manage', group: 'nav.admin' },
  { to: '/admin/catalogue', label: 'nav.catalogue', permission: 'catalogue.manage', group: 'nav.admin' },
  { to: '/audit', label: 'nav.audit', permission: 'audit.read' },
  { to: '/protection', label: 'nav.protection', permission: 'protection.read' },
  { to: '/coordination/compliance', label: 'nav.compliance', permission: 'coordination.read' },
  { to: '/account', label: 'nav.account', permission: 'profile.self' },
];
