import { createEffect, createSignal, onCleanup } from 'solid-js';
import type { TemplateComponent } from '../../../engine/templates/template.schema.js';
import { type Outputs, trpc } from './trpc.js';

export type RenderedTemplate = Outputs['templates']['preview'];

/**
 * The live preview of a template being edited: the server renders the draft's components with
 * their sample values (the same renderer that sends use), 300 ms after the last change. Answers
 * to older drafts that arrive late are dropped, so the bubble always shows the latest text.
 */
export function createTemplatePreview(components: () => TemplateComponent[]) {
  const [rendered, setRendered] = createSignal<RenderedTemplate>();
  const [error, setError] = createSignal<unknown>();
  let sequence = 0;
  createEffect(() => {
    const current = components();
    const mine = ++sequence;
    const timer = setTimeout(async () => {
      try {
        const answer = await trpc.templates.preview.query({ components: current });
        if (mine !== sequence) return;
        setRendered(answer);
        setError(undefined);
      } catch (caught) {
        if (mine === sequence) setError(caught);
      }
    }, 300);
    onCleanup(() => clearTimeout(timer));
  });
  return { rendered, error };
}
