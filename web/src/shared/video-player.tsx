import { useEffect, useState } from "preact/hooks";
import { apiKey, request } from "./api";

/**
 * A cached video. Without an API key the browser streams it (Range requests, seeking); a <video> cannot send the
 * Authorization header, so with a key the file is fetched once and played from a blob URL.
 */
export function VideoPlayer({ src, label }: { src: string; label: string }) {
  const keyed = apiKey() !== "";
  const [blob, setBlob] = useState<string | undefined>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!keyed) return;
    let url: string | undefined;
    const controller = new AbortController();
    request(src, { signal: controller.signal })
      .then((r) => r.blob())
      .then((b) => setBlob((url = URL.createObjectURL(b))))
      .catch(() => !controller.signal.aborted && setFailed(true));
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [src, keyed]);
  if (failed) return <p class="error-note">The video could not be loaded.</p>;
  const url = keyed ? blob : src;
  if (!url) return <p class="loading">Loading video…</p>;
  return <video class="video" src={url} controls preload="metadata" muted loop playsInline aria-label={label} onError={() => setFailed(true)} />;
}
