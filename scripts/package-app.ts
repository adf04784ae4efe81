/**
 * Builds the Teams app package: substitutes the `${{NAME}}` placeholders of
 * appPackage/manifest.json and appPackage/id-ID.json from env/.env.<env> (process.env wins, as
 * in the Teams Toolkit), and zips them with the two icons into
 * appPackage/build/appPackage.<env>.zip.
 *
 *   tsx scripts/package-app.ts [--env local|dev|<name>]     (default: local)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';

export const PACKAGE_FILES = ['manifest.json', 'id-ID.json', 'color.png', 'outline.png'] as const;

export interface PackageOptions {
  /** Environment name: reads env/.env.<env>. @default 'local' */
  env?: string;
  /** Repository root. @default the parent of scripts/ */
  root?: string;
  /** Values that win over the env file (tests; the toolkit sets process.env). @default process.env */
  overrides?: Record<string, string | undefined>;
}

export interface PackageResult {
  zipPath: string;
  files: string[];
}

/** Parses a dotenv file: KEY=VALUE lines, `#` comments, optional quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const [, key, raw] = match as unknown as [string, string, string];
    values[key] = raw.replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/** Replaces every `${{NAME}}`; names without a value are collected, not left in place. */
export function substitute(text: string, values: Record<string, string | undefined>, missing: Set<string>): string {
  return text.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return value;
  });
}

export async function packageApp(options: PackageOptions = {}): Promise<PackageResult> {
  const env = options.env ?? 'local';
  const root = options.root ?? path.resolve(__dirname, '..');
  const envFile = path.join(root, 'env', `.env.${env}`);
  if (!existsSync(envFile)) throw new Error(`No environment file ${path.relative(root, envFile)}: create it or pass --env <name>.`);

  const fromFile = parseEnvFile(readFileSync(envFile, 'utf8'));
  const overrides = options.overrides ?? process.env;
  const values: Record<string, string | undefined> = { ...fromFile };
  for (const key of Object.keys(overrides)) if (overrides[key] !== undefined && overrides[key] !== '') values[key] = overrides[key];
  // An empty value in the env file is as good as missing, except the optional name suffix.
  for (const [key, value] of Object.entries(values)) if (value === '' && key !== 'APP_NAME_SUFFIX') delete values[key];

  const appDir = path.join(root, 'appPackage');
  const missing = new Set<string>();
  const zip = new JSZip();
  for (const file of PACKAGE_FILES) {
    const full = path.join(appDir, file);
    if (file.endsWith('.json')) {
      const text = substitute(readFileSync(full, 'utf8'), values, missing);
      JSON.parse(text); // fails loudly on a broken manifest
      zip.file(file, text);
    } else {
      zip.file(file, readFileSync(full));
    }
  }
  if (missing.size > 0) {
    throw new Error(`${path.relative(root, envFile)} has no value for ${[...missing].sort().join(', ')} (run \`atk provision --env ${env}\` or set them).`);
  }

  const outDir = path.join(appDir, 'build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${env}.zip`);
  writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { zipPath, files: [...PACKAGE_FILES] };
}

function envFromArgs(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--env' || a.startsWith('--env='));
  if (i < 0) return argv.find((a) => !a.startsWith('-'));
  const arg = argv[i] as string;
  return arg.includes('=') ? arg.slice('--env='.length) : argv[i + 1];
}

if (require.main === module) {
  packageApp({ env: envFromArgs(process.argv.slice(2)) }).then(
    (result) => console.log(`Wrote ${path.relative(process.cwd(), result.zipPath)} (${result.files.join(', ')})`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
