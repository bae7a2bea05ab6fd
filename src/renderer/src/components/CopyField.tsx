/** A value the technician copies elsewhere (camera URL, metrics URL): one click copies it. */
import { useState } from 'react';

interface Props {
  value: string;
  label: string;
}

export function CopyField({ value, label }: Props) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'select'>('idle');

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('copied');
    } catch {
      // No clipboard (plain http from another machine): the text is selected instead.
      setCopied('select');
    }
    setTimeout(() => setCopied('idle'), 1500);
  }

  return (
    <span className="copy-field">
      <input
        readOnly
        aria-label={label}
        value={value}
        size={Math.min(Math.max(value.length, 10), 48)}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button onClick={() => void copy()} title={`Copy ${label}`}>
        {copied === 'copied' ? 'copied' : copied === 'select' ? 'press Ctrl+C' : 'copy'}
      </button>
    </span>
  );
}
