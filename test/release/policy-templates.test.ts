/**
 * The ADMX/ADML templates administrators import (Group Policy central store, Intune "Import ADMX"): current with the
 * policy table, well-formed, every reference resolving in both languages, and writing exactly the registry values the
 * app reads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { POLICY_LIST, POLICY_REGISTRY_KEY, resolvePolicies, type PolicyDefinition, type RawRegistryValue } from '../../app/shared/policy';
import { TEMPLATE_FILES } from '../../scripts/policy-templates';
import { repoRoot } from '../support/paths';
import { child, descendants, parseXml, type XmlElement } from '../support/xml';

const GROUP_POLICY_NS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const admxText = read(TEMPLATE_FILES.admx);
const admlTexts = { 'en-US': read(TEMPLATE_FILES.en), 'ru-RU': read(TEMPLATE_FILES.ru) };

test('the committed templates are what the policy table renders today', () => {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'generate-policy-templates.mjs'), '--check'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `${result.stderr}${result.stdout}(run: npm run policy, and commit assets/policy)`);
});

test('the templates are well-formed XML in the Group Policy namespace, marked as generated', () => {
  const files: [string, string, string][] = [
    [TEMPLATE_FILES.admx, admxText, 'policyDefinitions'],
    [TEMPLATE_FILES.en, admlTexts['en-US'], 'policyDefinitionResources'],
    [TEMPLATE_FILES.ru, admlTexts['ru-RU'], 'policyDefinitionResources'],
  ];
  for (const [path, text, rootName] of files) {
    const root = parseXml(text);
    assert.equal(root.name, rootName, path);
    assert.equal(root.namespace, GROUP_POLICY_NS, path);
    assert.match(text, /Do not edit by hand/, `${path} has no "generated" header`);
  }
  // The parser is strict: a broken file must not pass.
  assert.throws(() => parseXml(admxText.replace('</policies>', '')), /./);
});

const admx = parseXml(admxText);
const admxPolicies = descendants(admx, 'policy');
const admls = Object.entries(admlTexts).map(([culture, text]) => {
  const root = parseXml(text);
  return {
    culture,
    strings: new Map(descendants(root, 'string').map((s) => [s.attributes.id ?? '', s.text])),
    presentations: new Map(descendants(root, 'presentation').map((p) => [p.attributes.id ?? '', p])),
  };
});

describe('references', () => {
  test('every $(string.…) and $(presentation.…) in the ADMX resolves in both ADMLs', () => {
    const references = [...admxText.matchAll(/\$\((string|presentation)\.([^)]+)\)/g)].map((m) => [m[1], m[2] ?? ''] as const);
    assert.ok(references.length > POLICY_LIST.length * 3, 'references found');
    for (const adml of admls) {
      for (const [table, id] of references) {
        if (table === 'string') assert.ok(adml.strings.get(id)?.trim(), `${adml.culture}: $(string.${id}) is missing or empty`);
        else assert.ok(adml.presentations.has(id), `${adml.culture}: $(presentation.${id}) is missing`);
      }
    }
  });

  test('both languages define the same strings and presentations, and the Russian one is translated', () => {
    const [en, ru] = admls;
    assert.deepEqual([...ru!.strings.keys()], [...en!.strings.keys()]);
    assert.deepEqual([...ru!.presentations.keys()], [...en!.presentations.keys()]);
    assert.notEqual(ru!.strings.get('UpdateSource_Explain'), en!.strings.get('UpdateSource_Explain'));
  });

  test('each policy’s category and supported-on entry are defined in the ADMX', () => {
    const categories = new Set(descendants(admx, 'category').map((c) => c.attributes.name));
    const supported = new Set(descendants(child(admx, 'supportedOn'), 'definition').map((d) => d.attributes.name));
    for (const policy of admxPolicies) {
      assert.ok(categories.has(child(policy, 'parentCategory').attributes.ref), `${policy.attributes.name} category`);
      assert.ok(supported.has(child(policy, 'supportedOn').attributes.ref), `${policy.attributes.name} supportedOn`);
    }
  });

  test('each control in a presentation is the right one for its element: drop-down, number box, check box, text box', () => {
    const controlFor: Record<string, string> = { enum: 'dropdownList', decimal: 'decimalTextBox', boolean: 'checkBox', text: 'textBox' };
    for (const policy of admxPolicies) {
      const elements = child(policy, 'elements').children;
      const presentationId = /^\$\(presentation\.(.+)\)$/.exec(policy.attributes.presentation ?? '')?.[1] ?? '';
      for (const adml of admls) {
        const controls = adml.presentations.get(presentationId)?.children ?? [];
        assert.deepEqual(
          controls.map((c) => [c.name, c.attributes.refId]),
          elements.map((e) => [controlFor[e.name], e.attributes.id]),
          `${adml.culture}: ${policy.attributes.name}`,
        );
      }
    }
  });
});

/** The registry type Group Policy writes for an ADMX element (ADMX schema: decimal is a DWORD unless storeAsText). */
function registryType(element: XmlElement): string {
  switch (element.name) {
    case 'enum': {
      const kinds = new Set(descendants(element, 'value').map((v) => v.children[0]?.name));
      return kinds.size === 1 && kinds.has('string') ? 'REG_SZ' : `enum of ${[...kinds].join('/')}`;
    }
    case 'decimal':
      return element.attributes.storeAsText === 'true' ? 'REG_SZ' : 'REG_DWORD';
    case 'boolean': {
      const on = child(child(element, 'trueValue'), 'decimal').attributes.value;
      const off = child(child(element, 'falseValue'), 'decimal').attributes.value;
      return on === '1' && off === '0' ? 'REG_DWORD' : `boolean ${on}/${off}`;
    }
    case 'text':
      return element.attributes.expandable === 'true' ? 'REG_EXPAND_SZ' : 'REG_SZ';
    default:
      return element.name;
  }
}

/** Every value the editor can write for this element, and the nearest ones it cannot. */
function editorValues(element: XmlElement): { writable: RawRegistryValue[]; refused: RawRegistryValue[] } {
  switch (element.name) {
    case 'enum':
      return { writable: descendants(element, 'string').map((s) => ({ type: 'REG_SZ', data: s.text })), refused: [] };
    case 'decimal': {
      const [min, max] = [Number(element.attributes.minValue), Number(element.attributes.maxValue)];
      return {
        writable: [min, max].map((data) => ({ type: 'REG_DWORD', data })),
        refused: [min - 1, max + 1].filter((n) => n >= 0).map((data) => ({ type: 'REG_DWORD', data })),
      };
    }
    case 'boolean':
      return { writable: [0, 1].map((data) => ({ type: 'REG_DWORD', data })), refused: [] };
    default:
      return { writable: [{ type: 'REG_SZ', data: '\\\\files\\defender' }], refused: [] };
  }
}

describe('registry values', () => {
  const table = new Map<string, PolicyDefinition>(POLICY_LIST.map((p) => [p.name, p]));

  test('the ADMX has exactly the policies of the table the app reads, in its order', () => {
    assert.deepEqual(
      admxPolicies.map((p) => p.attributes.name),
      POLICY_LIST.map((p) => p.name),
    );
  });

  test('every policy writes its value name, under the app’s key, with the registry type the app reads', () => {
    for (const policy of admxPolicies) {
      const definition = table.get(policy.attributes.name ?? '')!;
      assert.equal(policy.attributes.key, POLICY_REGISTRY_KEY, `${definition.name} key`);
      assert.equal(policy.attributes.class, 'Both', `${definition.name}: settable for the computer (HKLM) and the user (HKCU)`);
      const elements = child(policy, 'elements').children;
      assert.equal(elements.length, 1, `${definition.name} writes one value`);
      const element = elements[0]!;
      assert.equal(element.attributes.valueName, definition.name);
      assert.equal(element.attributes.key, undefined, `${definition.name}: an element key would write elsewhere`);
      assert.equal(registryType(element), definition.type, `${definition.name} type`);
      if (definition.kind === 'choice')
        assert.deepEqual(
          descendants(element, 'string').map((s) => s.text),
          definition.choices.map((c) => c.value),
        );
      if (definition.kind === 'number')
        assert.deepEqual([element.attributes.minValue, element.attributes.maxValue], [String(definition.min), String(definition.max)]);
    }
  });

  test('every value the policy editor can write is one the app accepts, and the range ends are where the app’s are', () => {
    for (const policy of admxPolicies) {
      const name = policy.attributes.name ?? '';
      const { writable, refused } = editorValues(child(policy, 'elements').children[0]!);
      for (const raw of writable) assert.deepEqual(resolvePolicies({ [name]: raw }, {}).invalid, [], `${name} = ${JSON.stringify(raw)}`);
      for (const raw of refused) assert.equal(resolvePolicies({ [name]: raw }, {}).invalid.length, 1, `${name} = ${JSON.stringify(raw)} accepted`);
    }
  });
});
