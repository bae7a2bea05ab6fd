import { useState } from 'react';

/** An action that asks first: a link, then the action itself beside Keep. */
export function ConfirmAction({
  label,
  action,
  onConfirm,
}: {
  /** The link's words, e.g. "delete…". */
  label: string;
  /** The confirming button's words, e.g. "Delete". */
  action: string;
  onConfirm: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button className="link" onClick={() => setConfirming(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <button
        className="danger"
        onClick={() => {
          setConfirming(false);
          onConfirm();
        }}
      >
        {action}
      </button>
      <button onClick={() => setConfirming(false)}>Keep</button>
    </span>
  );
}
