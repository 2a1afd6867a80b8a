import { createResource } from 'solid-js';
import { type Outputs, trpc } from './trpc.js';

export type Me = NonNullable<Outputs['auth']['me']>;
export type Permission = Me['permissions'][number];

/** The signed-in member (null when signed out), shared by the frame and the pages. */
const [me, { mutate, refetch }] = createResource(() => trpc.auth.me.query());

export const session = {
  me,
  setMe: (value: Me | null) => mutate(value),
  refetch,
  can: (permission: Permission) => me()?.permissions.includes(permission) ?? false,
};
