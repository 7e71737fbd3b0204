/**
 * A 24×24 stroked line icon (one SVG path): the tool rail's and the region list's. Kept as inline
 * SVG on purpose: as a CSS mask over `currentColor` it saved a little layout, but each masked icon
 * is its own compositing layer when painted, and a switched-to editor's frame painted 5 ms longer.
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
