"""{{name}}: a pitcrew phase. It owns the document key `{{key}}`, where it
writes how many facts it was given, and records one check."""

import json

import wit_world
from componentize_py_types import Err
from wit_world.imports import log, types

KEY = "{{key}}"


class WitWorld(wit_world.WitWorld):
    def describe(self) -> types.PhaseInfo:
        info = types.PluginInfo(name="{{name}}", version="0.1.0",
                                description="counts the facts it is given")
        return types.PhaseInfo(info=info, owns=[KEY], after=[])

    def run(self, input: types.PhaseInput) -> types.PhaseOutput:
        facts = json.loads(input.facts)
        if not isinstance(facts, dict):
            raise Err(types.PluginError(kind=types.ErrorKind.INVALID_INPUT,
                                        message="facts: not a JSON object"))
        log.log(log.Level.DEBUG, f"{len(facts)} facts")
        status = types.CheckStatus.PASS if facts else types.CheckStatus.WARN
        check = types.Check(id="{{name}}.facts", layer="{{name}}", status=status,
                            message=f"{len(facts)} facts", blocking=False)
        keys = json.dumps({KEY: {"facts": len(facts)}})
        return types.PhaseOutput(keys=keys, checks=[check])
