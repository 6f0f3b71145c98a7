// Run by test/package/package.test.ts inside a temporary project where the packed tarball is
// installed: loads each entry point named on the command line with require() and with import()
// (the "require" and the "import" condition of package.json "exports") and prints, as JSON, what
// each one exports, or the code of the error that stopped it loading.
'use strict';

async function load(id) {
  let cjs;
  let esm;
  try {
    cjs = require(id);
    esm = await import(id);
  } catch (error) {
    return { error: error.code ?? error.name, message: error.message };
  }
  const cjsNames = Object.keys(cjs)
    .filter((name) => name !== '__esModule')
    .sort();
  // A `default` export, if the ES module entry has one, must be what Node gives for a CommonJS
  // module: its module.exports.
  const esmNames = Object.keys(esm)
    .filter((name) => name !== 'default')
    .sort();
  // The ES module entry re-exports the CommonJS module, so each name is the very same object.
  const notIdentical = cjsNames.filter((name) => cjs[name] !== esm[name]);
  if ('default' in esm && esm.default !== cjs) notIdentical.push('default');
  return { cjsNames, esmNames, notIdentical };
}

(async () => {
  const report = {};
  for (const id of process.argv.slice(2)) report[id] = await load(id);
  process.stdout.write(JSON.stringify(report));
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
