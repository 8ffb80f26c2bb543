// The message catalogue is compiled offline (TOOLCHAIN.md): these tests keep the project
// settings loadable without network access and the two languages in step.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const settings = JSON.parse(
  readFileSync(join(packageDir, 'project.inlang', 'settings.json'), 'utf8'),
) as { baseLocale: string; locales: string[]; modules: string[] };

function messages(locale: string): Record<string, string> {
  const all = JSON.parse(
    readFileSync(join(packageDir, 'messages', `${locale}.json`), 'utf8'),
  ) as Record<string, string>;
  delete all.$schema;
  return all;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('inlang project settings', () => {
  it('loads every plugin from a local file, never from a URL', () => {
    // Paraglide's default settings fetch plugins from a CDN this machine (and CI) cannot reach.
    expect(settings.modules.length).toBeGreaterThan(0);
    for (const module of settings.modules) {
      expect(module, `modules entry ${module} must be a relative path`).not.toMatch(
        /^[a-z][a-z0-9+.-]*:/i,
      );
      // Relative to the folder that holds project.inlang.
      expect(existsSync(join(packageDir, module)), `${module} must exist`).toBe(true);
    }
  });

  it('is Danish first, with English as the only other language', () => {
    expect(settings.baseLocale).toBe('da');
    expect(settings.locales).toEqual(['da', 'en']);
  });
});

describe('messages', () => {
  const da = messages('da');
  const en = messages('en');

  it('has the same keys in Danish and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(da).sort());
  });

  it('has the same placeholders in both languages, and no empty message', () => {
    for (const [key, text] of Object.entries(da)) {
      expect(text.trim(), `da.${key} is empty`).not.toBe('');
      expect(en[key]?.trim(), `en.${key} is empty`).not.toBe('');
      expect(placeholders(en[key] ?? ''), `placeholders of ${key}`).toEqual(placeholders(text));
    }
  });
});
