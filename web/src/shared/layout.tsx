import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiKeyForm } from "./api-key-form";
import { BackendBanner } from "./backend-banner";
import { onLinkClick } from "./router";

const PAGES = [
  { path: "/", label: "Playground", match: (p: string) => p === "/" },
  { path: "/runs", label: "Runs", match: (p: string) => p.startsWith("/runs") },
  { path: "/review", label: "Review", match: (p: string) => p.startsWith("/review") },
];

/** The frame of every page: skip link, header with navigation and the API key, the backend banner, the page. */
export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  const [keyOpen, setKeyOpen] = useState(false);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <a class="brand" href="/" onClick={onLinkClick}>
          vpo
        </a>
        <nav aria-label="Pages">
          {PAGES.map((page) => (
            <a key={page.path} href={page.path} onClick={onLinkClick} aria-current={page.match(path) ? "page" : undefined}>
              {page.label}
            </a>
          ))}
        </nav>
        <button type="button" class="secondary small" aria-expanded={keyOpen} onClick={() => setKeyOpen(!keyOpen)}>
          API key
        </button>
      </header>
      {keyOpen && <ApiKeyForm onDone={() => setKeyOpen(false)} />}
      <BackendBanner />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
