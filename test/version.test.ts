import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../src/version';
import * as api from '../src/index';

describe('version', () => {
  it('should be the version in package.json', () => {
    const packageJson = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(packageJson.version);
  });

  it('should be exported from the package entry point', () => {
    expect(api.VERSION).toBe(VERSION);
  });
});
