import { useEffect, useRef } from 'react';

/** The first page of a visit keeps the browser's own focus start, so the skip link is the first Tab stop. */
let firstPage = true;

/**
 * The page's h1: sets the document title and, after client-side navigation, takes focus so a screen reader
 * announces the new page (WCAG 2.4.3) and keyboard users start at the top of the content.
 */
export function PageHeading({ children, title }: { children: React.ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — ketenpoort`;
    if (firstPage) firstPage = false;
    else ref.current?.focus();
  }, [title]);
  return (
    <h1 className="utrecht-heading-1 kp-page-heading" tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}
