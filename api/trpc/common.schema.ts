import { z } from 'zod';
import { roleNames, roleSchema } from '../auth/role.schema.js';

/** Input pieces shared by the tRPC routers, importable by the dashboard (zod only). */
export { roleNames, roleSchema };
export const idSchema = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a decimal id');
export const emailSchema = z.email('must be an email address').max(254);
export const newPasswordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');
export const nameSchema = z.string().trim().min(1, 'required').max(200);
