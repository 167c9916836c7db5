/** A few line icons, decorative only (always next to text that says the same). */
const paths = {
  shield: 'M12 3l7 3v5c0 4.5-3 8.3-7 10-4-1.7-7-5.5-7-10V6l7-3z',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  alert: 'M12 8v5m0 3.5v.01M10.3 3.9L2.4 18a2 2 0 001.7 3h15.8a2 2 0 001.7-3L13.7 3.9a2 2 0 00-3.4 0z',
  sync: 'M20 11a8 8 0 00-14.5-4.5L4 8m0-4v4h4m-4 5a8 8 0 0014.5 4.5L20 16m0 4v-4h-4',
  restart: 'M4 12a8 8 0 108-8 8 8 0 00-5.7 2.3L4 8.5M4 4v4.5h4.5',
  off: 'M4 4l16 16M12 3l7 3v5c0 1.6-.4 3.2-1 4.6M16.5 19.2A11 11 0 0112 21c-4-1.7-7-5.5-7-10V6',
  cross: 'M6 6l12 12M18 6L6 18',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg className={className ? `icon ${className}` : 'icon'} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={paths[name]} />
    </svg>
  );
}
