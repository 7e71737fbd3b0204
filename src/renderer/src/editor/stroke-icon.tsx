/**
 * A 24×24 stroked line icon (one SVG path): the editors' tool rail, region list and toolbars.
 * Kept as inline SVG on purpose: as a CSS mask over `currentColor` it saved a little layout, but
 * each masked icon is its own compositing layer when painted, and a switched-to editor's frame
 * painted 5 ms longer.
 */
export function StrokeIcon({
  d,
  size = 14,
  className,
  title,
}: {
  d: string;
  size?: number;
  className?: string;
  /** Shown on hover; without it the icon is hidden from assistive technology (its button is named). */
  title?: string;
}) {
  return (
    <svg
      viewBox="0 0 24 24"
      width={size}
      height={size}
      className={className}
      aria-hidden={title ? undefined : true}
    >
      {title && <title>{title}</title>}
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

// Drawn, not typed: the symbol characters these replace (↶ ↷) are in few fonts and look different
// in each, and a fresh window's first layout spent ~20 ms finding a font for such symbols (traced).
export const UNDO_ICON = 'M9 14L4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11';
export const REDO_ICON = 'M15 14l5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13';
