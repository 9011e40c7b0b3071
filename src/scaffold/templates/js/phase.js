// {{name}}: a pitcrew phase. It owns the document key `{{key}}`, where it
// writes how many facts it was given, and records one check: a warning
// when there are fewer than `min_facts` (its one setting, from the `config`
// table of its phase in pitcrew.toml; 1 when not set).
import { log } from 'pitcrew:plugin/log@{{contract}}';

const KEY = '{{key}}';
// The JSON Schema of the configuration: pitcrew refuses any other before the
// phase runs, naming the field.
const CONFIG_SCHEMA = JSON.stringify({"type": "object", "properties": {"min_facts": {"type": "integer", "minimum": 0}}, "additionalProperties": false});

export function describe() {
  return {
    info: {
      name: '{{name}}',
      version: '0.1.0',
      description: 'counts the facts it is given',
      configSchema: CONFIG_SCHEMA,
    },
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
  const minFacts = JSON.parse(input.config).min_facts ?? 1;
  log('debug', `${count} facts`);
  return {
    keys: JSON.stringify({ [KEY]: { facts: count } }),
    checks: [{
      id: '{{name}}.facts',
      layer: '{{name}}',
      status: count >= minFacts ? 'pass' : 'warn',
      message: `${count} facts`,
      blocking: false,
    }],
  };
}
