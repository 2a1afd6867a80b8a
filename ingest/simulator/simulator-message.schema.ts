import { z } from 'zod';

/** What the simulator page sends as the test person: text, or a tap on a reply button or list row. */
export const simulatorMessageSchema = z
  .object({
    from: z.string().regex(/^\d{5,20}$/, 'a phone number in digits, like 27820000001'),
    name: z.string().min(1).max(100).optional(),
    text: z.string().min(1).max(4096).optional(),
    button_reply: z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }).optional(),
    list_reply: z
      .object({
        id: z.string().min(1).max(200),
        title: z.string().min(1).max(24),
        description: z.string().max(72).optional(),
      })
      .optional(),
  })
  .refine((m) => [m.text, m.button_reply, m.list_reply].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of text, button_reply or list_reply',
    path: ['text'],
  });
export type SimulatorMessage = z.infer<typeof simulatorMessageSchema>;

export const waIdParamSchema = z.object({
  waId: z.string().regex(/^\d{5,20}$/, 'a phone number in digits, like 27820000001'),
});
