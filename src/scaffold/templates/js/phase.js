// {{name}}: a pitcrew phase. It owns the document key `{{key}}`, where it
// writes how many facts it was given, and records one check.
import { log } from 'pitcrew:plugin/log@{{contract}}';

const KEY = '{{key}}';

export function describe() {
  return {
    info: { name: '{{name}}', version: '0.1.0', description: 'counts the facts it is given' },
    owns: [KEY],
    after: [],
  };
}

// Returning a value is `ok`; throwing `{ kind, message }` is a plugin-error.
export function run(input) {
  const facts = JSON.parse(input.facts);
  if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) {
    throw { kind: 'invalid-input', message: 'facts: not a JSON object' };
  }
  const count = Object.keys(facts).length;
  log('debug', `${count} facts`);
  return {
    keys: JSON.stringify({ [KEY]: { facts: count } }),
    checks: [{
      id: '{{name}}.facts',
      layer: '{{name}}',
      status: count > 0 ? 'pass' : 'warn',
      message: `${count} facts`,
      blocking: false,
    }],
  };
}
