"""The rule registry. Order within a pass is priority: an earlier rule's edits win an overlap.

Passes run one after another, each on the previous pass's output, so structural conversions (which
move whole blocks) never fight the symbol-level upgrade that runs over the result.
"""
from __future__ import annotations

import dataclasses
from types import ModuleType

from tf1to2.rules.base import Rule, rules_of

# Rule modules register here by pass; see docs/rules.md for the code ranges.
from tf1to2.rules import variables_to_layers  # noqa: E402  (TF430-TF449)

STRUCTURE_PASS: list[ModuleType] = [variables_to_layers]
# tf.layers / contrib / Slim calls the variable-graph converter leaves (TF470-TF489).
from tf1to2.rules import layers_classes, layers_module_level, layers_rnn  # noqa: E402

STRUCTURE_PASS += [layers_module_level, layers_classes, layers_rnn]
# The API upgrade pass (TF410-TF429). Rules that rewrite a whole call come before the symbol renames.
from tf1to2.rules import (  # noqa: E402
    api_call_arguments, api_cast, api_compat_v1_import, api_contrib, api_dimension_value, api_disable_v2_behavior,
    api_dropout_keep_prob, api_estimator, api_from_imports, api_initializer_defaults, api_iterator_methods,
    api_name_scope, api_softmax_labels, api_symbol_renames, api_tf_layers, api_upgrade_warnings,
)

API_PASS: list[ModuleType] = [
    api_compat_v1_import, api_from_imports, api_disable_v2_behavior, api_call_arguments, api_cast,
    api_iterator_methods, api_dropout_keep_prob, api_initializer_defaults, api_name_scope, api_softmax_labels,
    api_symbol_renames, api_tf_layers, api_contrib, api_estimator, api_dimension_value, api_upgrade_warnings,
]
# The sessions pass (TF450-TF469): graph-and-session code → eager functions, after the structure pass
# (which has turned variable-creating code into Keras layers) and before the API upgrade.
from tf1to2.rules.sessions import app_run, flags, graph_to_functions, random_seed  # noqa: E402

SESSIONS_PASS: list[ModuleType] = [graph_to_functions, random_seed, flags, app_run]
# Codes the engine itself reports (files that cannot be read, parsed or converted safely).
ENGINE_CODES = {
    "TF400": "file cannot be read or decoded",
    "TF401": "file is not valid Python 3 (syntax error)",
    "TF402": "conversion gate failed: output does not parse or a second conversion changes it",
    "TF403": "internal error while converting this file",
    "TF404": "converted file cannot be written (the destination is left as it was)",
}


@dataclasses.dataclass(frozen=True)
class Pass:
    name: str
    modules: tuple[ModuleType, ...]


def passes() -> list[Pass]:
    return [
        Pass("structure", tuple(STRUCTURE_PASS)),
        Pass("sessions", tuple(SESSIONS_PASS)),
        Pass("api", tuple(API_PASS)),
    ]


def all_rules() -> list[Rule]:
    rules = [r for p in passes() for m in p.modules for r in rules_of(m)]
    return sorted(rules, key=lambda rule: rule.code)


def find_rule(code: str) -> Rule | None:
    return next((rule for rule in all_rules() if rule.code == code.upper()), None)
