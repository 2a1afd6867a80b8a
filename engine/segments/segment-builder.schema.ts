import { z } from 'zod';

/**
 * The segment builder's conditions, shared by the engine (which compiles
 * them to SQL: compile-builder.ts) and the dashboard (which edits them). Zod only, so the
 * dashboard can import it. A tree of AND / OR groups and NOT, whose leaves are conditions.
 */

export const fieldKeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'not a custom field key');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const id = z.string().trim().min(1).max(200);

export const fieldOperators = ['eq', 'neq', 'contains', 'gt', 'gte', 'lt', 'lte', 'set', 'not_set'] as const;
export type FieldOperator = (typeof fieldOperators)[number];

/** A period of message times: in the last N days, before a date or on/after the day after it. */
export const periodSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('last_days'), days: z.number().int().min(1).max(36_500) }),
  z.object({ type: z.literal('before'), date: isoDate }),
  z.object({ type: z.literal('after'), date: isoDate }),
]);

export const conditionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('field'),
    key: fieldKeySchema,
    op: z.enum(fieldOperators),
    /** Absent for set / not_set; its type must fit the field's (checked when compiling). */
    value: z.union([z.string().max(1000), z.number(), z.boolean()]).optional(),
  }),
  z.object({ kind: z.literal('label'), op: z.enum(['has', 'has_not']), label: id }),
  z.object({
    kind: z.literal('language'),
    op: z.enum(['eq', 'neq']),
    value: z.string().trim().min(1).max(35),
  }),
  z.object({ kind: z.literal('opt_in'), value: z.enum(['unknown', 'opted_in', 'opted_out']) }),
  /** Whether the person stopped or resumed marketing messages (WhatsApp's user_preferences). */
  z.object({ kind: z.literal('marketing_opt_in'), value: z.enum(['unknown', 'opted_in', 'opted_out']) }),
  /** Whether the person has a phone number, a BSUID or a username (e.g. people reachable by BSUID only). */
  z.object({
    kind: z.literal('identity'),
    identity: z.enum(['phone', 'bsuid', 'username']),
    present: z.boolean(),
  }),
  z.object({ kind: z.literal('blocked'), value: z.boolean() }),
  z.object({ kind: z.literal('first_message'), period: periodSchema }),
  z.object({ kind: z.literal('last_message'), period: periodSchema }),
  z.object({
    kind: z.literal('message_count'),
    atLeast: z.number().int().min(1).max(1_000_000),
    days: z.number().int().min(1).max(36_500),
  }),
  z.object({ kind: z.literal('replied_to_reminder'), reminderId: id }),
  z.object({ kind: z.literal('pressed_button'), value: id }),
  z.object({
    kind: z.literal('journey'),
    event: z.enum(['started', 'completed', 'dropped']),
    journeyId: id,
    /** Only with `dropped`: dropped at this card. */
    cardId: id.optional(),
  }),
]);

export type Condition = z.infer<typeof conditionSchema>;
export type Period = z.infer<typeof periodSchema>;

export type BuilderNode =
  | Condition
  | { kind: 'group'; op: 'and' | 'or'; conditions: BuilderNode[] }
  | { kind: 'not'; condition: BuilderNode };

export type BuilderGroup = Extract<BuilderNode, { kind: 'group' }>;

export const builderNodeSchema: z.ZodType<BuilderNode> = z.lazy(() =>
  z.union([
    conditionSchema,
    z.object({
      kind: z.literal('group'),
      op: z.enum(['and', 'or']),
      conditions: z.array(builderNodeSchema).max(100),
    }),
    z.object({ kind: z.literal('not'), condition: builderNodeSchema }),
  ]),
);

/** The root of a segment's builder: always a group (an empty AND group means everyone). */
export const builderSchema = z.object({
  kind: z.literal('group'),
  op: z.enum(['and', 'or']),
  conditions: z.array(builderNodeSchema).max(100),
});
export type Builder = z.infer<typeof builderSchema>;
