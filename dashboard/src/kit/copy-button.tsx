import { toast } from './toast.js';

/** Copies a value (a new secret, an invite link) to the clipboard and says so. */
export function CopyButton(props: { value: string; label?: string; what?: string }) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      toast.success(`${props.what ?? 'Value'} copied`);
    } catch {
      // Clipboard access needs a secure context and the page's focus; the text stays selectable.
      toast.error('Could not copy: select the text and copy it');
    }
  };
  return (
    <button type="button" class="secondary" onClick={copy}>
      {props.label ?? 'Copy'}
    </button>
  );
}
