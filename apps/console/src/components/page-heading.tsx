import { useEffect, useRef } from 'react';

/**
 * The page's h1: sets the document title and takes focus when the page opens, so a screen reader announces the
 * new page after client-side navigation (WCAG 2.4.3) and keyboard users start at the top of the content.
 */
export function PageHeading({ children, title }: { children: React.ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — ketenpoort`;
    ref.current?.focus();
  }, [title]);
  return (
    <h1 className="utrecht-heading-1 kp-page-heading" tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}
