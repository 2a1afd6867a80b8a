import type { Permission } from '../lib/session.js';

/** Only pages that work are listed; later issues add theirs. */
const links: { href: string; label: string; permission: Permission }[] = [
  { href: '/simulator', label: 'Simulator', permission: 'simulator.use' },
  { href: '/people', label: 'People', permission: 'contacts.read' },
  { href: '/segments', label: 'Segments', permission: 'segments.read' },
  { href: '/settings/members', label: 'Members and roles', permission: 'members.manage' },
  { href: '/settings/tokens', label: 'API tokens', permission: 'tokens.manage' },
  { href: '/settings/webhooks', label: 'Webhooks', permission: 'webhooks.manage' },
  { href: '/settings/channels', label: 'Channels', permission: 'channels.read' },
  { href: '/settings/fields', label: 'Custom fields', permission: 'settings.manage' },
];

/** The pages a member's permissions open, in navigation order. */
export function navLinks(permissions: readonly string[]) {
  return links.filter((link) => permissions.includes(link.permission));
}

/** Where `/` sends a member: their first page, or Channels' read-only view as a last resort. */
export function homePath(permissions: readonly string[]): string {
  return navLinks(permissions)[0]?.href ?? '/settings/channels';
}
