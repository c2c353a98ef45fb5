import { Button } from '@utrecht/button-react';
import { useEffect, useId, useRef } from 'react';

/**
 * A confirmation on the platform's modal <dialog>: focus moves into it and stays there, Escape cancels, and focus
 * returns to the button that opened it. It says what will happen in the chain before anything does.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: React.ReactNode;
  danger?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className="kp-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          props.onConfirm();
        }}
      >
        <h2 className="utrecht-heading-2" id={titleId}>
          {props.title}
        </h2>
        {props.children}
        <div className="kp-actions">
          <Button
            type="submit"
            appearance="primary-action-button"
            busy={props.busy}
            hint={props.danger ? 'danger' : undefined}
          >
            {props.confirmLabel}
          </Button>
          <Button type="button" appearance="secondary-action-button" onClick={props.onCancel}>
            Annuleren
          </Button>
        </div>
      </form>
    </dialog>
  );
}
