import { CopyButton } from './copy-button.js';

/** A value shown once (a token, a signing secret, an invite link): readonly, selectable, copyable. */
export function SecretNotice(props: { message: string; value: string; label: string }) {
  return (
    <div class="notice secret" role="status">
      <p>{props.message}</p>
      <div class="row">
        <input
          class="mono grow"
          readonly
          value={props.value}
          aria-label={props.label}
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton value={props.value} what={props.label} />
      </div>
    </div>
  );
}
