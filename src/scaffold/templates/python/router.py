"""{{name}}: a pitcrew router. It sends every failure to one local model,
with a bigger answer for failures many tests share. Which model is its one
setting (`model`, from `[plugins.router.config]` in pitcrew.toml)."""

import json

import wit_world
from componentize_py_types import Err
from wit_world.imports import types

# The JSON Schema of the configuration, checked by pitcrew before the router
# runs.
CONFIG_SCHEMA = json.dumps({"type": "object", "properties": {"model": {"type": "string", "minLength": 1}}, "additionalProperties": False})


class WitWorld(wit_world.WitWorld):
    def describe(self) -> types.PluginInfo:
        return types.PluginInfo(name="{{name}}", version="0.1.0",
                                description="routes every failure to one model",
                                config_schema=CONFIG_SCHEMA)

    def route(self, request: types.RouteRequest, config: str) -> types.Route:
        if request.classification.id != request.failure.id:
            raise Err(types.PluginError(kind=types.ErrorKind.INVALID_INPUT,
                                        message="the classification is for another failure"))
        return types.Route(
            model=json.loads(config).get("model", "llama3.2:1b"),
            fallbacks=[],
            system_prompt="You explain why a test failed, in one paragraph.",
            prompt=f"{request.failure.test_name}\n\n{request.failure.message}",
            max_tokens=1024 if request.group_size > 1 else 512,
            temperature=0.2,
        )
