"""{{name}}: a pitcrew classifier. It labels failures whose message says
they timed out as `timeout`, everything else `unknown`."""

import wit_world
from componentize_py_types import Err
from wit_world.imports import log, types


def classify_one(failure: types.Failure) -> types.Classification:
    if not failure.test_name:
        raise Err(types.PluginError(kind=types.ErrorKind.INVALID_INPUT,
                                    message=f"failure {failure.id}: no test name"))
    message = failure.message.lower()
    timed_out = "timed out" in message or "timeout" in message
    return types.Classification(
        id=failure.id,
        category=types.Category.TIMEOUT if timed_out else types.Category.UNKNOWN,
        language=types.Language.OTHER,
        specialty=types.Specialty.TEST if timed_out else types.Specialty.GENERAL,
        confidence=0.9 if timed_out else 0.1,
        evidence="timed out" if timed_out else "",
    )


class WitWorld(wit_world.WitWorld):
    def describe(self) -> types.PluginInfo:
        return types.PluginInfo(name="{{name}}", version="0.1.0", description="labels timeouts",
                                config_schema=None)

    # `config` is this classifier's configuration as JSON ("{}": it declares
    # no settings).
    def classify(self, batch: list[types.Failure], config: str) -> list[types.Classification]:
        log.log(log.Level.DEBUG, f"classifying {len(batch)} failures")
        return [classify_one(failure) for failure in batch]
