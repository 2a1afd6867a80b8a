/**
 * What the fake "phone" of each person has seen: the business's messages with their
 * delivery statuses, and the person's own messages. The simulator page shows it, and
 * tests use it to count deliveries (a duplicate delivery shows up here twice).
 */
export interface FakeStatus {
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
}

export interface FakeConversationEntry {
  direction: 'outbound' | 'inbound';
  /** The wamid Meta would use. */
  id: string;
  at: Date;
  /** Outbound: the Graph request body; inbound: the message object of the webhook. */
  body: Record<string, unknown>;
  /** biz_opaque_callback_data of an outbound request. */
  callbackData?: string;
  statuses: FakeStatus[];
  /** Inbound: whether the business marked it as read. */
  read?: boolean;
}

export class ConversationStore {
  private readonly byWaId = new Map<string, FakeConversationEntry[]>();
  private readonly byWamid = new Map<string, FakeConversationEntry>();

  add(waId: string, entry: FakeConversationEntry) {
    const list = this.byWaId.get(waId) ?? [];
    list.push(entry);
    this.byWaId.set(waId, list);
    this.byWamid.set(entry.id, entry);
  }

  get(waId: string): FakeConversationEntry[] {
    return [...(this.byWaId.get(waId) ?? [])];
  }

  find(wamid: string): FakeConversationEntry | undefined {
    return this.byWamid.get(wamid);
  }

  /** The latest business message to `waId` that offered a reply with this id (button or list row). */
  findOffering(waId: string, replyId: string): FakeConversationEntry | undefined {
    return this.get(waId)
      .reverse()
      .find((e) => e.direction === 'outbound' && offeredReplyIds(e.body).includes(replyId));
  }

  reset(waId: string) {
    for (const entry of this.byWaId.get(waId) ?? []) this.byWamid.delete(entry.id);
    this.byWaId.delete(waId);
  }
}

function offeredReplyIds(body: Record<string, unknown>): string[] {
  const interactive = body.interactive as
    | {
        action?: {
          buttons?: { reply?: { id?: string } }[];
          sections?: { rows?: { id?: string }[] }[];
        };
      }
    | undefined;
  const action = interactive?.action;
  if (!action) return [];
  const ids = [
    ...(action.buttons ?? []).map((b) => b.reply?.id),
    ...(action.sections ?? []).flatMap((s) => (s.rows ?? []).map((r) => r.id)),
  ];
  return ids.filter((id): id is string => typeof id === 'string');
}
