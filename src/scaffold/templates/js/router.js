// {{name}}: a pitcrew router. It sends every failure to one local model,
// with a bigger answer for failures many tests share. Which model is its
// one setting (`model`, from `[plugins.router.config]` in pitcrew.toml).

// The JSON Schema of the configuration, checked by pitcrew before the router
// runs.
const CONFIG_SCHEMA = JSON.stringify({"type": "object", "properties": {"model": {"type": "string", "minLength": 1}}, "additionalProperties": false});

export function describe() {
  return {
    name: '{{name}}',
    version: '0.1.0',
    description: 'routes every failure to one model',
    configSchema: CONFIG_SCHEMA,
  };
}

// Returning a value is `ok`; throwing `{ kind, message }` is a plugin-error.
export function route(request, config) {
  if (request.classification.id !== request.failure.id) {
    throw { kind: 'invalid-input', message: 'the classification is for another failure' };
  }
  return {
    model: JSON.parse(config).model ?? 'llama3.2:1b',
    fallbacks: [],
    systemPrompt: 'You explain why a test failed, in one paragraph.',
    prompt: `${request.failure.testName}\n\n${request.failure.message}`,
    maxTokens: request.groupSize > 1 ? 1024 : 512,
    temperature: 0.2,
  };
}
