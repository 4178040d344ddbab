// Reads the theme's colours from VS Code's CSS variables at render time and tells charts when the
// user switches theme (VS Code swaps the body class and the variables together).

import { resolvePalette, themeKindFromClasses, type Palette } from '../lib/colour';

export function currentPalette(): Palette {
  const style = getComputedStyle(document.body);
  return resolvePalette((name) => style.getPropertyValue(name), themeKindFromClasses([...document.body.classList]));
}

/** Calls `onChange` with the new palette whenever the body's theme class changes. */
export function watchTheme(onChange: (palette: Palette) => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    onChange(currentPalette());
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
