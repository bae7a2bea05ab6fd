/** Browser only: the station's token, needed for actions from another machine. */
import { useState } from 'react';
import type { HttpBridge } from '../bridge/http-bridge';

export function TokenControl({ bridge }: { bridge: HttpBridge }) {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [hasToken, setHasToken] = useState(bridge.hasToken());

  if (!open) {
    return (
      <button className="link" onClick={() => setOpen(true)}>
        {hasToken ? 'token entered' : 'enter token'}
      </button>
    );
  }
  return (
    <form
      className="token-form"
      onSubmit={(e) => {
        e.preventDefault();
        bridge.setToken(value || null);
        setHasToken(bridge.hasToken());
        setValue('');
        setOpen(false);
      }}
    >
      <input
        type="password"
        autoComplete="off"
        aria-label="station token"
        placeholder="station token"
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="submit">{value ? 'Use' : 'Forget'}</button>
    </form>
  );
}
