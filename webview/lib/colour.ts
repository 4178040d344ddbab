// Theme colours. The webview reads VS Code's CSS variables at render time; the fallbacks below are
// used only when a variable is missing (e.g. an older VS Code without --vscode-charts-*), and they
// differ per theme kind so a light theme never gets dark-theme text.

export type ThemeKind = 'light' | 'dark' | 'high-contrast';

export interface Palette {
  foreground: string;
  background: string;
  border: string;
  muted: string;
  blue: string;
  red: string;
  green: string;
  orange: string;
  yellow: string;
  purple: string;
}

/** CSS variable behind each palette entry. */
export const PALETTE_VARIABLES: Record<keyof Palette, string> = {
  foreground: '--vscode-editor-foreground',
  background: '--vscode-editor-background',
  border: '--vscode-panel-border',
  muted: '--vscode-descriptionForeground',
  blue: '--vscode-charts-blue',
  red: '--vscode-charts-red',
  green: '--vscode-charts-green',
  orange: '--vscode-charts-orange',
  yellow: '--vscode-charts-yellow',
  purple: '--vscode-charts-purple',
};

/** VS Code's default Dark+/Light+/High Contrast values for the same variables. */
export const FALLBACK_PALETTES: Record<ThemeKind, Palette> = {
  dark: {
    foreground: '#cccccc',
    background: '#1e1e1e',
    border: '#80808059',
    muted: '#ccccccb3',
    blue: '#3794ff',
    red: '#f14c4c',
    green: '#89d185',
    orange: '#d18616',
    yellow: '#cca700',
    purple: '#b180d7',
  },
  light: {
    foreground: '#3b3b3b',
    background: '#ffffff',
    border: '#80808059',
    muted: '#717171',
    blue: '#1a85ff',
    red: '#e51400',
    green: '#388a34',
    orange: '#d18616',
    yellow: '#bf8803',
    purple: '#652d90',
  },
  'high-contrast': {
    foreground: '#ffffff',
    background: '#000000',
    border: '#6fc3df',
    muted: '#ffffff',
    blue: '#3794ff',
    red: '#f48771',
    green: '#89d185',
    orange: '#d18616',
    yellow: '#ffd700',
    purple: '#b180d7',
  },
};

/** The theme kind from the body classes VS Code sets on a webview. */
export function themeKindFromClasses(classes: readonly string[]): ThemeKind {
  if (classes.includes('vscode-high-contrast') || classes.includes('vscode-high-contrast-light')) return 'high-contrast';
  if (classes.includes('vscode-light')) return 'light';
  return 'dark';
}

/** Builds the palette from a variable reader (getComputedStyle in the webview, a map in tests). */
export function resolvePalette(readVariable: (name: string) => string, kind: ThemeKind): Palette {
  const fallback = FALLBACK_PALETTES[kind];
  const palette = { ...fallback };
  for (const key of Object.keys(PALETTE_VARIABLES) as Array<keyof Palette>) {
    const value = readVariable(PALETTE_VARIABLES[key]).trim();
    if (value !== '') palette[key] = value;
  }
  return palette;
}

/**
 * `colour` with its alpha multiplied by `alpha` (0..1), as rgba(). Understands #rgb, #rgba,
 * #rrggbb, #rrggbbaa and rgb()/rgba(); anything else comes back unchanged, since a theme colour
 * we cannot parse is still better than none.
 */
export function withAlpha(colour: string, alpha: number): string {
  const rgba = parseColour(colour);
  if (!rgba) return colour;
  const a = Math.min(Math.max(rgba[3] * alpha, 0), 1);
  return `rgba(${rgba[0]}, ${rgba[1]}, ${rgba[2]}, ${Number(a.toFixed(3))})`;
}

export function parseColour(colour: string): [number, number, number, number] | undefined {
  const c = colour.trim();
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(c);
  if (hex) {
    let h = hex[1];
    if (h.length <= 4) h = [...h].map((ch) => ch + ch).join('');
    const n = (i: number): number => parseInt(h.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), h.length === 8 ? n(6) / 255 : 1];
  }
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i.exec(c);
  if (fn) {
    const alpha = fn[4] === undefined ? 1 : fn[4].endsWith('%') ? parseFloat(fn[4]) / 100 : parseFloat(fn[4]);
    return [Number(fn[1]), Number(fn[2]), Number(fn[3]), alpha];
  }
  return undefined;
}

/** A colour per category (labels in the PCA plot), cycling through the chart colours. */
export function categoryColour(palette: Palette, i: number): string {
  const cycle = [palette.blue, palette.orange, palette.green, palette.purple, palette.red, palette.yellow];
  return cycle[((i % cycle.length) + cycle.length) % cycle.length];
}
