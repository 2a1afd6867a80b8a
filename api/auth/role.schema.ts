import { z } from 'zod';
import type { Role } from '../../core/db/schema.js';

/**
 * The member roles, most privileged first, as a zod schema both the server and the dashboard
 * import (zod only, so the dashboard's bundle takes it without server code). `satisfies` keeps
 * the list equal to the database's role type; api/auth/permissions.ts maps each to permissions.
 */
export const roleNames = [
  'admin',
  'builder',
  'operator',
  'analyst',
  'viewer',
] as const satisfies readonly Role[];
export const roleSchema = z.enum(roleNames);
export type RoleName = z.infer<typeof roleSchema>;

/**
 * What a form offers before anyone chooses: the role that can do least, so a reset or a
 * missed field never hands out more access than was asked for.
 */
export const leastPrivilegedRole: RoleName = 'viewer';
