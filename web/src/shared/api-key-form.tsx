import { useState } from "preact/hooks";
import { apiKey, setApiKey } from "./api";

/** Where a user pastes the API key of a server started with --api-keys (kept in this browser only). */
export function ApiKeyForm({ onDone }: { onDone: () => void }) {
  const [value, setValue] = useState(apiKey());
  return (
    <form
      class="api-key-form"
      onSubmit={(event) => {
        event.preventDefault();
        setApiKey(value.trim());
        onDone();
      }}
    >
      <label>
        API key
        <input type="password" autocomplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} placeholder="only if the server asks for one" />
      </label>
      <button type="submit">Save</button>
      <button type="button" class="secondary" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
