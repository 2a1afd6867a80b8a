import { createEffect, createSignal, onCleanup } from 'solid-js';
import {
  type BuilderNode,
  builderSchema,
  type Condition,
} from '../../../engine/segments/segment-builder.schema.js';
import { type Outputs, trpc } from './trpc.js';

type Definition = Parameters<typeof trpc.segments.preview.query>[0];

/** A condition the member has not filled in yet: asking the server would only answer with an error. */
function unfinished(node: BuilderNode): boolean {
  if (node.kind === 'group') return node.conditions.some(unfinished);
  if (node.kind === 'not') return unfinished(node.condition);
  return emptyValue(node);
}

function emptyValue(c: Condition): boolean {
  if (c.kind === 'field') return c.op !== 'set' && c.op !== 'not_set' && (c.value ?? '') === '';
  return false;
}

/** Why a definition cannot be counted yet, or undefined when it can. */
export function incompleteReason(definition: Definition | null): string | undefined {
  if (!definition) return 'Write a query to see who matches.';
  if (!('builder' in definition)) return undefined;
  const parsed = builderSchema.safeParse(definition.builder);
  if (!parsed.success || unfinished(parsed.data)) return 'Finish the conditions to see who matches.';
  return undefined;
}

/**
 * The live count and first 50 people while a segment is edited: asks again 400 ms after the
 * last change, and ignores answers to older definitions that arrive late. A definition still
 * being filled in is not sent (no error before anything is typed), and an error clears the
 * last preview so an old count never stands beside a definition that does not compile.
 * `reveal` asks for names and numbers unmasked (pii.read only; the server logs each reveal).
 */
export function createSegmentPreview(
  definition: () => Definition | null,
  reveal: () => boolean = () => false,
) {
  const [preview, setPreview] = createSignal<Outputs['segments']['preview']>();
  const [error, setError] = createSignal<unknown>();
  const [pending, setPending] = createSignal(false);
  const incomplete = () => incompleteReason(definition());
  let sequence = 0;
  createEffect(() => {
    const current = definition();
    // Reading it here makes a reveal (or hiding again) ask at once for the same definition.
    const unmasked = reveal();
    const mine = ++sequence;
    if (!current || incompleteReason(current)) {
      setPending(false);
      setError(undefined);
      return;
    }
    setPending(true);
    const timer = setTimeout(async () => {
      try {
        const answer = await trpc.segments.preview.query({ ...current, reveal: unmasked });
        if (mine !== sequence) return;
        setPreview(answer);
        setError(undefined);
      } catch (caught) {
        if (mine !== sequence) return;
        setPreview(undefined);
        setError(caught);
      } finally {
        if (mine === sequence) setPending(false);
      }
    }, 400);
    onCleanup(() => clearTimeout(timer));
  });
  return { preview, error, pending, incomplete };
}
