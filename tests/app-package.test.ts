/**
 * The Teams app package: manifest.json and id-ID.json validate against the official v1.29
 * schemas (shipped offline in @microsoft/app-manifest), the icons have the sizes Teams
 * requires, and scripts/package-app.ts zips the four files with every placeholder filled.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { manifestCommands } from '../bot/src/commands/registry';
import { SEARCH_COMMAND_ID, SEARCH_PARAMETER } from '../bot/src/platform/teams-platform';
import { syncedFiles, type SCOPES } from '../scripts/manifest-commands';
import { PACKAGE_FILES, packageApp, substitute } from '../scripts/package-app';

const root = path.resolve(__dirname, '..');
const schemaDir = path.join(root, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams/v1.29');
const SAMPLE = {
  TEAMS_APP_ID: '11111111-2222-4333-8444-555555555555',
  AAD_APP_CLIENT_ID: '66666666-7777-4888-9999-000000000000',
  BOT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  TAB_DOMAIN: 'rapport.example.com',
  TAB_ENDPOINT: 'https://rapport.example.com',
  APP_NAME_SUFFIX: '-test',
};

function filled(file: string): Record<string, unknown> {
  const missing = new Set<string>();
  const text = substitute(readFileSync(path.join(root, 'appPackage', file), 'utf8'), SAMPLE, missing);
  expect([...missing]).toEqual([]);
  return JSON.parse(text) as Record<string, unknown>;
}

function validator(schemaFile: string) {
  // The official schemas are JSON Schema draft-04, hence ajv-draft-04 (Ajv 8 with draft-04 rules).
  // Some patterns (\b inside brackets) are not valid with the u flag, which Ajv adds by default.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  const schema = JSON.parse(readFileSync(path.join(schemaDir, schemaFile), 'utf8')) as Record<string, unknown>;
  return ajv.compile(schema);
}

function readPng(file: string): PNG {
  return PNG.sync.read(readFileSync(path.join(root, 'appPackage', file)));
}

describe('Teams app package', () => {
  it('when the placeholders are filled, then manifest.json validates against the v1.29 schema', () => {
    const manifest = filled('manifest.json');
    const validate = validator('MicrosoftTeams.schema.json');

    const valid = validate(manifest);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(manifest).toMatchObject({
      $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json',
      manifestVersion: '1.29',
      webApplicationInfo: { id: SAMPLE.AAD_APP_CLIENT_ID, resource: `api://${SAMPLE.TAB_DOMAIN}/${SAMPLE.AAD_APP_CLIENT_ID}` },
      localizationInfo: { defaultLanguageTag: 'en-us', additionalLanguages: [{ languageTag: 'id-id', file: 'id-ID.json' }] },
      validDomains: [SAMPLE.TAB_DOMAIN],
    });
  });

  it('when the tabs and bot are read, then they point at the tab routes', () => {
    const manifest = filled('manifest.json') as {
      staticTabs: { entityId: string; contentUrl?: string; scopes: string[] }[];
      configurableTabs: { configurationUrl: string; scopes: string[] }[];
      bots: { botId: string; scopes: string[] }[];
    };
    expect(manifest.staticTabs[0]).toMatchObject({ entityId: 'rapport-dashboard', contentUrl: 'https://rapport.example.com/index.html#/', scopes: ['personal'] });
    expect(manifest.configurableTabs[0]).toMatchObject({ configurationUrl: 'https://rapport.example.com/index.html#/config', scopes: ['team', 'groupChat'] });
    expect(manifest.bots[0]?.botId).toBe(SAMPLE.BOT_ID);
    expect(manifest.bots[0]?.scopes).toEqual(['personal', 'team', 'groupChat']);
  });

  it('when the command lists are read, then each scope lists exactly the commands the registry runs there, in English and Indonesian', () => {
    const manifest = filled('manifest.json') as { bots: { commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[] }[] };
    const localized = filled('id-ID.json') as Record<string, string>;
    const lists = manifest.bots[0]!.commandLists;

    expect(lists.map((l) => l.scopes)).toEqual([['personal'], ['team'], ['groupChat']]);
    lists.forEach((list, i) => {
      const scope = list.scopes[0] as (typeof SCOPES)[number];
      expect(list.commands).toEqual(manifestCommands(scope, 'en-US'));
      const indonesian = list.commands.map((_, j) => ({
        title: localized[`bots[0].commandLists[${i}].commands[${j}].title`],
        description: localized[`bots[0].commandLists[${i}].commands[${j}].description`],
      }));
      expect(indonesian).toEqual(manifestCommands(scope, 'id-ID'));
      // Teams' limits: at most 10 commands a list, titles of 32 and descriptions of 128 characters.
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const c of [...list.commands, ...indonesian]) {
        expect(c.title!.length).toBeLessThanOrEqual(32);
        expect(c.description!.length).toBeLessThanOrEqual(128);
      }
    });
    // The files are what `npm run manifest:commands` writes.
    const synced = syncedFiles(root);
    expect(JSON.parse(synced.manifest)).toEqual(JSON.parse(readFileSync(path.join(root, 'appPackage/manifest.json'), 'utf8')));
    expect(JSON.parse(synced.localization)).toEqual(JSON.parse(readFileSync(path.join(root, 'appPackage/id-ID.json'), 'utf8')));
  });

  it('when the message extension is read, then it searches accounts by name or domain and unfurls links to the tab, in both languages', () => {
    const manifest = filled('manifest.json') as {
      composeExtensions: { botId: string; commands: { id: string; type: string; parameters: { name: string }[] }[]; messageHandlers: { type: string; value: { domains: string[] } }[] }[];
    };
    const localized = filled('id-ID.json') as Record<string, string>;
    const extension = manifest.composeExtensions[0]!;

    expect(extension.botId).toBe(SAMPLE.BOT_ID);
    expect(extension.commands).toEqual([expect.objectContaining({ id: SEARCH_COMMAND_ID, type: 'query', parameters: [expect.objectContaining({ name: SEARCH_PARAMETER })] })]);
    // The tab's account pages (https://<domain>/index.html#/accounts/<id>) are on the app's domain.
    expect(extension.messageHandlers).toEqual([{ type: 'link', value: { domains: [SAMPLE.TAB_DOMAIN] } }]);
    for (const key of ['title', 'description', 'parameters[0].title', 'parameters[0].description']) {
      expect(localized[`composeExtensions[0].commands[0].${key}`]?.length).toBeGreaterThan(0);
    }
  });

  it('when id-ID.json is filled, then it validates against the localization schema and only names existing items', () => {
    const localized = filled('id-ID.json');
    const manifest = filled('manifest.json') as { staticTabs: unknown[]; bots: { commandLists: { commands: unknown[] }[] }[]; composeExtensions: { commands: unknown[] }[] };
    const validate = validator('MicrosoftTeams.Localization.schema.json');

    expect(validate(localized)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    for (const key of Object.keys(localized)) {
      const command = /^bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\./.exec(key);
      if (command) expect(manifest.bots[0]?.commandLists[Number(command[1])]?.commands[Number(command[2])]).toBeDefined();
      const tab = /^staticTabs\[(\d+)\]\./.exec(key);
      if (tab) expect(manifest.staticTabs[Number(tab[1])]).toBeDefined();
      const extension = /^composeExtensions\[(\d+)\]\.commands\[(\d+)\]\./.exec(key);
      if (extension) expect(manifest.composeExtensions[Number(extension[1])]?.commands[Number(extension[2])]).toBeDefined();
    }
  });

  it('when the icons are read, then color.png is 192×192 and outline.png is 32×32 white on transparent', () => {
    const color = readPng('color.png');
    const outline = readPng('outline.png');

    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let opaque = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a === 0) continue;
      opaque++;
      expect([r, g, b, a]).toEqual([255, 255, 255, 255]);
    }
    expect(opaque).toBeGreaterThan(50);
  });

  it('when the package script runs, then it writes a zip with the four files and no placeholder left', async () => {
    const result = await packageApp({ env: 'local', root, overrides: SAMPLE });

    const zip = await JSZip.loadAsync(readFileSync(result.zipPath));
    expect(Object.keys(zip.files).sort()).toEqual([...PACKAGE_FILES].sort());
    const manifest = await zip.file('manifest.json')?.async('string');
    expect(manifest).not.toContain('${{');
    expect(JSON.parse(manifest ?? '{}')).toMatchObject({ id: SAMPLE.TEAMS_APP_ID, name: { short: 'Rapport-test' } });
    expect(path.basename(result.zipPath)).toBe('appPackage.local.zip');
  });

  it('when a placeholder has no value, then packaging fails and names it', async () => {
    await expect(packageApp({ env: 'dev', root, overrides: {} })).rejects.toThrow(/no value for .*TEAMS_APP_ID/);
  });
});
