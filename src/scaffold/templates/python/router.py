"""{{name}}: a pitcrew router. It sends every failure to one local model,
with a bigger answer for failures many tests share."""

import wit_world
from componentize_py_types import Err
from wit_world.imports import types


class WitWorld(wit_world.WitWorld):
    def describe(self) -> types.PluginInfo:
        return types.PluginInfo(name="{{name}}", version="0.1.0",
                                description="routes every failure to llama3.2:1b")

    def route(self, request: types.RouteRequest) -> types.Route:
        if request.classification.id != request.failure.id:
            raise Err(types.PluginError(kind=types.ErrorKind.INVALID_INPUT,
                                        message="the classification is for another failure"))
        return types.Route(
            model="llama3.2:1b",
            fallbacks=[],
            system_prompt="You explain why a test failed, in one paragraph.",
            prompt=f"{request.failure.test_name}\n\n{request.failure.message}",
            max_tokens=1024 if request.group_size > 1 else 512,
            temperature=0.2,
        )
