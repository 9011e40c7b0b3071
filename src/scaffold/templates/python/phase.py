"""{{name}}: a pitcrew phase. It owns the document key `{{key}}`, where it
writes how many facts it was given, and records one check: a warning when
there are fewer than `min_facts` (its one setting, from the `config` table of
its phase in pitcrew.toml; 1 when not set)."""

import json

import wit_world
from componentize_py_types import Err
from wit_world.imports import log, types

KEY = "{{key}}"
# The JSON Schema of the configuration: pitcrew refuses any other before the
# phase runs, naming the field.
CONFIG_SCHEMA = json.dumps({"type": "object", "properties": {"min_facts": {"type": "integer", "minimum": 0}}, "additionalProperties": False})


class WitWorld(wit_world.WitWorld):
    def describe(self) -> types.PhaseInfo:
        info = types.PluginInfo(name="{{name}}", version="0.1.0",
                                description="counts the facts it is given",
                                config_schema=CONFIG_SCHEMA)
        return types.PhaseInfo(info=info, owns=[KEY], after=[])

    def run(self, input: types.PhaseInput) -> types.PhaseOutput:
        facts = json.loads(input.facts)
        if not isinstance(facts, dict):
            raise Err(types.PluginError(kind=types.ErrorKind.INVALID_INPUT,
                                        message="facts: not a JSON object"))
        min_facts = json.loads(input.config).get("min_facts", 1)
        log.log(log.Level.DEBUG, f"{len(facts)} facts")
        status = types.CheckStatus.PASS if len(facts) >= min_facts else types.CheckStatus.WARN
        check = types.Check(id="{{name}}.facts", layer="{{name}}", status=status,
                            message=f"{len(facts)} facts", blocking=False)
        keys = json.dumps({KEY: {"facts": len(facts)}})
        return types.PhaseOutput(keys=keys, checks=[check])
