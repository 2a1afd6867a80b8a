import type { Permission } from './session.js';

export interface NavPage {
  href: string;
  label: string;
  permission: Permission;
}

export interface NavGroup {
  label: string;
  pages: NavPage[];
}

/**
 * The whole product, grouped by task. Only pages that exist are listed; the ones coming next
 * go into their group (Conversations: Inbox; Automation: Journeys;
 * Analysis: Insights, Notebooks) and an empty group is not shown.
 */
export const navGroups: NavGroup[] = [
  {
    label: 'Conversations',
    pages: [{ href: '/conversations/simulator', label: 'Simulator', permission: 'simulator.use' }],
  },
  {
    label: 'Audience',
    pages: [
      { href: '/people', label: 'People', permission: 'contacts.read' },
      { href: '/segments', label: 'Segments', permission: 'segments.read' },
    ],
  },
  {
    label: 'Automation',
    pages: [
      { href: '/templates', label: 'Templates', permission: 'reminders.read' },
      { href: '/reminders', label: 'Reminders', permission: 'reminders.read' },
    ],
  },
  { label: 'Analysis', pages: [] },
  {
    label: 'Settings',
    pages: [
      { href: '/settings/members', label: 'Members', permission: 'members.manage' },
      { href: '/settings/tokens', label: 'API tokens', permission: 'tokens.manage' },
      { href: '/settings/webhooks', label: 'Webhooks', permission: 'webhooks.manage' },
      { href: '/settings/channels', label: 'Channels', permission: 'channels.read' },
      { href: '/settings/fields', label: 'Custom fields', permission: 'settings.manage' },
      { href: '/settings/billing', label: 'Billing', permission: 'billing.read' },
    ],
  },
];

/** The groups and pages a member's permissions open, in navigation order, without empty groups. */
export function visibleNav(permissions: readonly string[]): NavGroup[] {
  return navGroups
    .map((group) => ({ ...group, pages: group.pages.filter((p) => permissions.includes(p.permission)) }))
    .filter((group) => group.pages.length > 0);
}

/** Where `/` sends a member: their first page, or Channels' read-only view as a last resort. */
export function homePath(permissions: readonly string[]): string {
  return visibleNav(permissions)[0]?.pages[0]?.href ?? '/settings/channels';
}
