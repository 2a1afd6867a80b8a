import { createEffect, createSignal, onCleanup } from 'solid-js';
import { type Outputs, trpc } from './trpc.js';

type Definition = Parameters<typeof trpc.segments.preview.query>[0];

/**
 * The live count and first 50 people while a segment is edited: asks again 400 ms after the
 * last change, and ignores answers to older definitions that arrive late.
 */
export function createSegmentPreview(definition: () => Definition | null) {
  const [preview, setPreview] = createSignal<Outputs['segments']['preview']>();
  const [error, setError] = createSignal<unknown>();
  const [pending, setPending] = createSignal(false);
  let sequence = 0;
  createEffect(() => {
    const current = definition();
    const mine = ++sequence;
    if (!current) return;
    setPending(true);
    const timer = setTimeout(async () => {
      try {
        const answer = await trpc.segments.preview.query(current);
        if (mine !== sequence) return;
        setPreview(answer);
        setError(undefined);
      } catch (caught) {
        if (mine === sequence) setError(caught);
      } finally {
        if (mine === sequence) setPending(false);
      }
    }, 400);
    onCleanup(() => clearTimeout(timer));
  });
  return { preview, error, pending };
}
