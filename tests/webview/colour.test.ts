import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { categoryColour, FALLBACK_PALETTES, PALETTE_VARIABLES, parseColour, resolvePalette, themeKindFromClasses, withAlpha } from '../../webview/lib/colour';

describe('theme colours', () => {
  test('theme kind follows the body classes VS Code sets', () => {
    assert.equal(themeKindFromClasses(['vscode-light']), 'light');
    assert.equal(themeKindFromClasses(['vscode-dark']), 'dark');
    assert.equal(themeKindFromClasses(['vscode-high-contrast']), 'high-contrast');
    assert.equal(themeKindFromClasses(['vscode-high-contrast-light', 'vscode-light']), 'high-contrast');
    assert.equal(themeKindFromClasses([]), 'dark');
  });

  test('CSS variables win; missing ones fall back per theme kind', () => {
    const vars: Record<string, string> = { '--vscode-charts-blue': ' #0000ff ', '--vscode-editor-foreground': '#111111' };
    const light = resolvePalette((name) => vars[name] ?? '', 'light');
    assert.equal(light.blue, '#0000ff');
    assert.equal(light.foreground, '#111111');
    assert.equal(light.red, FALLBACK_PALETTES.light.red);
    const dark = resolvePalette(() => '', 'dark');
    assert.deepEqual(dark, FALLBACK_PALETTES.dark);
    assert.notEqual(FALLBACK_PALETTES.light.foreground, FALLBACK_PALETTES.dark.foreground);
  });

  test('every palette entry reads a --vscode-* variable', () => {
    for (const name of Object.values(PALETTE_VARIABLES)) assert.match(name, /^--vscode-/);
    assert.deepEqual(Object.keys(PALETTE_VARIABLES).sort(), Object.keys(FALLBACK_PALETTES.dark).sort());
  });

  test('withAlpha understands hex and rgb forms and leaves unknown ones alone', () => {
    assert.equal(withAlpha('#ff0000', 0.5), 'rgba(255, 0, 0, 0.5)');
    assert.equal(withAlpha('#f00', 1), 'rgba(255, 0, 0, 1)');
    assert.equal(withAlpha('#80808059', 1), 'rgba(128, 128, 128, 0.349)');
    assert.equal(withAlpha('rgba(10, 20, 30, 0.5)', 0.5), 'rgba(10, 20, 30, 0.25)');
    assert.equal(withAlpha('var(--x)', 0.5), 'var(--x)');
    assert.equal(parseColour('nope'), undefined);
  });

  test('category colours cycle', () => {
    const p = FALLBACK_PALETTES.dark;
    assert.equal(categoryColour(p, 0), p.blue);
    assert.equal(categoryColour(p, 6), p.blue);
    assert.equal(categoryColour(p, -1), p.yellow);
  });
});
