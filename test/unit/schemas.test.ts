// The engine compiles a function's parameter schema on its first call (a node start compiles
// none): every schema of every module is compiled here, so a broken one fails a test, not a job.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { newAjv } from '../../src/engine';
import { allModules } from '../../src/modules';

test('every function of every module has a parameter schema that is valid JSON Schema and compiles', () => {
  const ajv = newAjv({ validateSchema: true }); // the daemon's skips the meta-schema check
  let n = 0;
  for (const m of allModules({ status: () => ({}), compact: () => ({}) })) {
    for (const [name, def] of Object.entries(m.functions)) {
      assert.equal(ajv.validateSchema(def.params), true, `${m.name}.${name}: ${ajv.errorsText(ajv.errors)}`);
      assert.doesNotThrow(() => ajv.compile(def.params), `${m.name}.${name}`);
      n++;
    }
  }
  assert.ok(n > 50, `only ${n} functions found`);
});

test('a compiled schema refuses what it must (the validator is the real one)', () => {
  const v = newAjv().compile({ type: 'object', properties: { dbh: { type: 'string' } }, required: ['dbh'] });
  assert.equal(v({}), false);
  assert.equal(v({ dbh: 'h1' }), true);
});
