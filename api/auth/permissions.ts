import type { Role } from '../../core/db/schema.js';

/**
 * The one permission matrix. Every tRPC procedure and
 * REST route declares one of these permissions (or `public` / `authenticated`), and a test
 * fails on any that does not. Roles follow Turn.io's Admin / Builder / Operator, plus
 * Analyst (warehouse, insights, notebooks; read-only on the service) and Viewer.
 */
export const permissions = [
  'members.manage',
  'tokens.manage',
  'webhooks.manage',
  'channels.read',
  'channels.manage',
  'settings.manage',
  'audit.read',
  'messages.read',
  'messages.send',
  'contacts.read',
  'contacts.write',
  /**
   * Erase a person's personal data everywhere (DELETE /v1/contacts/{id}): irreversible, so
   * Admin only (and tokens an admin grants it to), not every role that may edit a contact.
   */
  'contacts.erase',
  /** See phone numbers and names unmasked (in the dashboard, after an explicit, logged reveal). */
  'pii.read',
  'simulator.use',
  'journeys.read',
  'journeys.write',
  'reminders.read',
  'reminders.write',
  'segments.read',
  'segments.write',
  'insights.read',
  'notebooks.write',
  'warehouse.query',
  /** See the balance, spend, top-ups and rate card. */
  'billing.read',
  /** Record top-ups, publish rate cards, change billing settings. */
  'billing.manage',
] as const;
export type Permission = (typeof permissions)[number];

export const roles = ['admin', 'builder', 'operator', 'analyst', 'viewer'] as const satisfies readonly Role[];
export type { Role };

const viewer: Permission[] = [
  'channels.read',
  'messages.read',
  'contacts.read',
  'journeys.read',
  'reminders.read',
  'segments.read',
  'insights.read',
];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: permissions,
  builder: [
    ...viewer,
    'messages.send',
    'contacts.write',
    'simulator.use',
    'journeys.write',
    'reminders.write',
    'segments.write',
    'warehouse.query',
    'billing.read',
  ],
  operator: [...viewer, 'messages.send', 'contacts.write', 'simulator.use'],
  analyst: [...viewer, 'warehouse.query', 'notebooks.write', 'billing.read'],
  viewer,
};

/** Access a procedure or route declares: a permission, any signed-in caller, or no one at all. */
export type Access = Permission | 'authenticated' | 'public';

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}

export function roleCan(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}
